/// An entry as delivered by `XREADGROUP`/`XCLAIM`/`XAUTOCLAIM`: nil fields mean the entry was
/// deleted (trimmed) from the stream while still pending.
struct DeliveredEntry: Sendable {
    var id: String
    var fields: StreamFields?

    var entry: StreamEntry? {
        fields.map { StreamEntry(id: id, fields: $0) }
    }
}

/// One row of `XPENDING key group IDLE ms - + count`.
struct PendingEntry: Sendable, Equatable {
    var id: String
    var consumer: String
    var idleMilliseconds: Int64
    var deliveries: Int64
}

/// The three parts of a Redis 7 `XAUTOCLAIM` reply.
struct AutoClaimResult: Sendable {
    var cursor: String
    var entries: [DeliveredEntry]
    var deletedIDs: [String]
}

/// One consumer group from `XINFO GROUPS`.
struct GroupInfo: Sendable {
    var name: String
    var pending: Int64
    var lastDeliveredID: String
    var lag: Int64?
}

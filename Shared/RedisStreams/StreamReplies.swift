import Redis

/// Parses the replies of stream commands into Swift values.
enum StreamReplies {
    /// Entries of an `XREADGROUP`/`XREAD` reply for one stream; `nil` reply (BLOCK timeout) is empty.
    /// An entry whose body is nil (deleted while pending) has `fields == nil`.
    static func readEntries(_ reply: RedisReply) throws(RedisError) -> [(id: String, fields: [(name: String, value: [UInt8])]?)] {
        if reply.isNull { return [] }
        guard let streams = reply.array else { throw .protocolViolation("XREADGROUP reply is not an array") }
        var result: [(id: String, fields: [(name: String, value: [UInt8])]?)] = []
        for stream in streams {
            guard let pair = stream.array, pair.count == 2, let entries = pair[1].array else {
                throw .protocolViolation("XREADGROUP stream element is not [name, entries]")
            }
            result += try entries.map(entry)
        }
        return result
    }

    /// One `[id, [field, value, …]]` element (the body may be nil).
    static func entry(_ reply: RedisReply) throws(RedisError) -> (id: String, fields: [(name: String, value: [UInt8])]?) {
        guard let parts = reply.array, parts.count == 2, let id = parts[0].string else {
            throw .protocolViolation("stream entry is not [id, fields]")
        }
        if parts[1].isNull { return (id, nil) }
        guard let flat = parts[1].array, flat.count % 2 == 0 else {
            throw .protocolViolation("stream entry \(id) has an odd field list")
        }
        var fields: [(name: String, value: [UInt8])] = []
        fields.reserveCapacity(flat.count / 2)
        var index = 0
        while index < flat.count {
            guard let name = flat[index].string, let value = flat[index + 1].bytes else {
                throw .protocolViolation("stream entry \(id) has a non-string field")
            }
            fields.append((name, value))
            index += 2
        }
        return (id, fields)
    }

    /// An `XAUTOCLAIM` reply (Redis 7: cursor, entries, deleted ids).
    static func autoclaim(_ reply: RedisReply) throws(RedisError) -> (cursor: String, entries: [(id: String, fields: [(name: String, value: [UInt8])]?)], deleted: [String]) {
        guard let parts = reply.array, parts.count >= 2, let cursor = parts[0].string, let entries = parts[1].array else {
            throw .protocolViolation("XAUTOCLAIM reply is not [cursor, entries, deleted]")
        }
        let deleted = parts.count > 2 ? (parts[2].array ?? []).compactMap(\.string) : []
        return (cursor, try entries.filter { !$0.isNull }.map(entry), deleted)
    }

    /// The extended `XPENDING … IDLE` form: id, consumer, idle ms, deliveries.
    static func pending(_ reply: RedisReply) throws(RedisError) -> [PendingEntry] {
        guard let rows = reply.array else { throw .protocolViolation("XPENDING reply is not an array") }
        return try rows.map { row throws(RedisError) in
            guard let fields = row.array, fields.count == 4, let id = fields[0].string, let consumer = fields[1].string,
                let idle = fields[2].int, let deliveries = fields[3].int
            else { throw .protocolViolation("XPENDING row is not [id, consumer, idle, deliveries]") }
            return PendingEntry(id: id, consumer: consumer, idleMilliseconds: idle, deliveries: deliveries)
        }
    }

    /// A flat `[key, value, …]` reply (XINFO) as a dictionary.
    static func map(_ reply: RedisReply) -> [String: RedisReply] {
        guard let flat = reply.array else { return [:] }
        var result: [String: RedisReply] = [:]
        var index = 0
        while index + 1 < flat.count {
            if let key = flat[index].string { result[key] = flat[index + 1] }
            index += 2
        }
        return result
    }
}

/// One entry of a consumer group's pending list.
public struct PendingEntry: Sendable, Equatable {
    /// The entry id.
    public let id: String
    /// The consumer holding it.
    public let consumer: String
    /// Milliseconds since it was last delivered.
    public let idleMilliseconds: Int64
    /// How many times it was delivered.
    public let deliveries: Int64
}

import Redis

/// Turns stream command replies into values; every shape error names the command.
enum StreamReplyParser {
    /// `XREADGROUP … STREAMS s id` → entries of the one stream asked for (nil reply → none).
    static func readGroup(_ reply: RedisReply) throws -> [DeliveredEntry] {
        switch reply {
        case .null:
            return []
        case .error(let message):
            throw RedisError.server(message)
        case .array(let streams):
            var result: [DeliveredEntry] = []
            for stream in streams {
                guard let pair = stream.array, pair.count == 2 else {
                    throw StreamError.unexpectedReply(command: "XREADGROUP", detail: "stream element is not [name, entries]")
                }
                result += try entries(pair[1], command: "XREADGROUP")
            }
            return result
        default:
            throw StreamError.unexpectedReply(command: "XREADGROUP", detail: "expected an array or nil")
        }
    }

    /// An array of `[id, [field, value, …]]` (or `[id, nil]` for a deleted entry).
    static func entries(_ reply: RedisReply, command: String) throws -> [DeliveredEntry] {
        if reply.isNull { return [] }
        guard let items = reply.array else {
            throw StreamError.unexpectedReply(command: command, detail: "expected an array of entries")
        }
        var result: [DeliveredEntry] = []
        result.reserveCapacity(items.count)
        for item in items {
            if item.isNull { continue }
            guard let pair = item.array, pair.count == 2, let id = pair[0].string else {
                throw StreamError.unexpectedReply(command: command, detail: "entry is not [id, fields]")
            }
            result.append(DeliveredEntry(id: id, fields: try fields(pair[1], command: command)))
        }
        return result
    }

    private static func fields(_ reply: RedisReply, command: String) throws -> StreamFields? {
        if reply.isNull { return nil }
        guard let flat = reply.array, flat.count % 2 == 0 else {
            throw StreamError.unexpectedReply(command: command, detail: "fields are not field/value pairs")
        }
        var fields: StreamFields = []
        fields.reserveCapacity(flat.count / 2)
        var index = 0
        while index < flat.count {
            guard let name = flat[index].bytes, let value = flat[index + 1].bytes else {
                throw StreamError.unexpectedReply(command: command, detail: "field or value is not a bulk string")
            }
            fields.append((name: String(decoding: name, as: UTF8.self), value: value))
            index += 2
        }
        return fields
    }

    /// `XAUTOCLAIM` in Redis 7: `[cursor, entries, deleted-ids]` (Redis 6.2 has no third part).
    static func autoClaim(_ reply: RedisReply) throws -> AutoClaimResult {
        guard let parts = reply.array, parts.count >= 2, let cursor = parts[0].string else {
            throw StreamError.unexpectedReply(command: "XAUTOCLAIM", detail: "expected [cursor, entries, deleted]")
        }
        let deleted = parts.count >= 3 ? (parts[2].array ?? []).compactMap(\.string) : []
        return AutoClaimResult(cursor: cursor, entries: try entries(parts[1], command: "XAUTOCLAIM"), deletedIDs: deleted)
    }

    /// Extended `XPENDING` rows `[id, consumer, idle, deliveries]`.
    static func pending(_ reply: RedisReply) throws -> [PendingEntry] {
        guard let rows = reply.array else {
            throw StreamError.unexpectedReply(command: "XPENDING", detail: "expected an array")
        }
        return try rows.map { row in
            guard let fields = row.array, fields.count == 4, let id = fields[0].string,
                  let consumer = fields[1].string, let idle = fields[2].int, let deliveries = fields[3].int else {
                throw StreamError.unexpectedReply(command: "XPENDING", detail: "row is not [id, consumer, idle, deliveries]")
            }
            return PendingEntry(id: id, consumer: consumer, idleMilliseconds: idle, deliveries: deliveries)
        }
    }

    /// Summary `XPENDING key group` → the smallest pending id, nil when nothing is pending.
    static func oldestPendingID(_ reply: RedisReply) throws -> String? {
        guard let parts = reply.array, parts.count == 4, let count = parts[0].int else {
            throw StreamError.unexpectedReply(command: "XPENDING", detail: "expected [count, smallest, largest, consumers]")
        }
        return count > 0 ? parts[1].string : nil
    }

    /// `XINFO GROUPS key` → one record per group.
    static func groups(_ reply: RedisReply) throws -> [GroupInfo] {
        guard let groups = reply.array else {
            throw StreamError.unexpectedReply(command: "XINFO GROUPS", detail: "expected an array")
        }
        return try groups.map { group in
            guard let flat = group.array, flat.count % 2 == 0 else {
                throw StreamError.unexpectedReply(command: "XINFO GROUPS", detail: "group is not a key/value list")
            }
            var values: [String: RedisReply] = [:]
            var index = 0
            while index < flat.count {
                if let key = flat[index].string { values[key] = flat[index + 1] }
                index += 2
            }
            guard let name = values["name"]?.string, let pending = values["pending"]?.int,
                  let last = values["last-delivered-id"]?.string else {
                throw StreamError.unexpectedReply(command: "XINFO GROUPS", detail: "missing name, pending or last-delivered-id")
            }
            return GroupInfo(name: name, pending: pending, lastDeliveredID: last, lag: values["lag"]?.int)
        }
    }
}

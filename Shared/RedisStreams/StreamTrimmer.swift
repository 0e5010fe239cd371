import Redis

/// Trims a stream below the oldest entry any consumer group still needs.
///
/// Redis 7.0 cannot trim "only acknowledged" entries, so the floor is computed: for each group its
/// oldest pending entry, or its last-delivered id when nothing is pending; the stream is trimmed with
/// `XTRIM … MINID ~ floor`. A stream without groups is left alone (the producer's `MAXLEN ~` caps it).
public struct StreamTrimmer: Sendable {
    /// The client used.
    public let redis: RedisClient

    /// Creates a trimmer.
    public init(redis: RedisClient) {
        self.redis = redis
    }

    /// The id below which no group needs entries, `nil` when the stream has no groups.
    public func floor(stream: String) async throws -> String? {
        let groups = try await redis.send(["XINFO", "GROUPS", stream])
        var floor: String?
        for group in groups.array ?? [] {
            let info = StreamReplies.map(group)
            guard let name = info["name"]?.string else { continue }
            var needed = info["last-delivered-id"]?.string ?? "0-0"
            if let pending = info["pending"]?.int, pending > 0 {
                let summary = try await redis.send(["XPENDING", stream, name])
                if let oldest = summary.array?.dropFirst().first?.string { needed = oldest }
            }
            if floor.map({ StreamID.isLess(needed, $0) }) ?? true { floor = needed }
        }
        return floor
    }

    /// Trims `stream` below its floor; returns the number of entries removed.
    @discardableResult
    public func trimOnce(stream: String, approximate: Bool = true) async throws -> Int {
        guard let floor = try await floor(stream: stream), floor != "0-0" else { return 0 }
        let reply = try await redis.send(["XTRIM", stream, "MINID"] + (approximate ? ["~"] : []) + [floor])
        return Int(reply.int ?? 0)
    }
}

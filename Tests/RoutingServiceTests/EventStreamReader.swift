import KefuModel
import Redis

/// Reads a test deployment's events from every partition of its events stream (one stream when
/// `KEFU_STREAM_PARTITIONS` is 1). Entries of one session are in one partition, so their order holds.
struct EventStreamReader: Sendable {
    let redis: RedisClient
    let streams: [String]
    private var lastIDs: [String]

    init(redis: RedisClient, names: StreamNames) {
        self.redis = redis
        streams = names.partitions(of: names.events)
        lastIDs = streams.map { _ in "0-0" }
    }

    /// The raw envelopes added since the last call, from one `XREAD` over every partition (empty when none).
    mutating func next(count: Int = 1000) async throws -> [[UInt8]] {
        let reply = try await redis.send(["XREAD", "COUNT", String(count), "STREAMS"] + streams + lastIDs)
        var envelopes: [[UInt8]] = []
        for stream in reply.array ?? [] {
            guard let name = stream.array?[0].string, let index = streams.firstIndex(of: name),
                  let entries = stream.array?[1].array else { continue }
            for entry in entries {
                lastIDs[index] = entry.array?[0].string ?? lastIDs[index]
                if let raw = entry.array?[1].array?[1].bytes { envelopes.append(raw) }
            }
        }
        return envelopes
    }

    /// Every raw envelope in the events stream, partition after partition, each in stream order.
    func all() async throws -> [[UInt8]] {
        var envelopes: [[UInt8]] = []
        for stream in streams {
            var lastID = "0-0"
            while true {
                let reply = try await redis.send(["XRANGE", stream, "(" + lastID, "+", "COUNT", "5000"])
                guard let entries = reply.array, !entries.isEmpty else { break }
                for entry in entries {
                    lastID = entry.array?[0].string ?? lastID
                    if let raw = entry.array?[1].array?[1].bytes { envelopes.append(raw) }
                }
            }
        }
        return envelopes
    }
}

import Redis

/// Appends entries to streams with `XADD … MAXLEN ~ n`, the memory safety valve.
///
/// Trimming by acknowledgement is ``StreamTrimmer``'s job; `maxLength` only caps a stream whose
/// consumers stopped.
public struct StreamProducer: Sendable {
    /// The client used.
    public let redis: RedisClient
    /// Approximate maximum length kept on every `XADD`.
    public let maxLength: Int

    /// Creates a producer.
    public init(redis: RedisClient, maxLength: Int = 1_000_000) {
        self.redis = redis
        self.maxLength = maxLength
    }

    /// Adds one entry and returns its id.
    @discardableResult
    public func add(stream: String, fields: [(name: String, value: [UInt8])]) async throws -> String {
        let reply = try await redis.send(command(stream: stream, fields: fields))
        guard let id = reply.string else { throw RedisError.protocolViolation("XADD returned no id") }
        return id
    }

    /// Adds several entries in one round trip and returns their ids in order.
    @discardableResult
    public func add(stream: String, entries: [[(name: String, value: [UInt8])]]) async throws -> [String] {
        guard !entries.isEmpty else { return [] }
        let replies = try await redis.pipeline(entries.map { command(stream: stream, fields: $0) })
        return try replies.map { reply in
            guard let id = try reply.throwingOnError().string else { throw RedisError.protocolViolation("XADD returned no id") }
            return id
        }
    }

    /// The `XADD` command for one entry.
    func command(stream: String, fields: [(name: String, value: [UInt8])]) -> [[UInt8]] {
        var arguments: [[UInt8]] = [Array("XADD".utf8), Array(stream.utf8), Array("MAXLEN".utf8), [UInt8(ascii: "~")], Array(String(maxLength).utf8), [UInt8(ascii: "*")]]
        arguments.reserveCapacity(6 + fields.count * 2)
        for field in fields {
            arguments.append(Array(field.name.utf8))
            arguments.append(field.value)
        }
        return arguments
    }
}

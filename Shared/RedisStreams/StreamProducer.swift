import Redis

/// Appends entries to streams with `XADD`, keeping `MAXLEN ~ maxLength` as a memory safety valve
/// (safe trimming below that is ``StreamTrimmer``'s job).
public struct StreamProducer: Sendable {
    /// The default safety valve: about one million entries per stream.
    public static let defaultMaxLength = 1_000_000

    private let client: RedisClient
    /// Approximate cap per stream (`MAXLEN ~`); nil writes without a cap.
    public let maxLength: Int?
    /// Commands per pipelined round trip in ``addBatch(stream:entries:)``.
    public let pipelineDepth: Int

    /// Creates a producer on `client`.
    public init(client: RedisClient, maxLength: Int? = StreamProducer.defaultMaxLength, pipelineDepth: Int = 100) {
        self.client = client
        self.maxLength = maxLength
        self.pipelineDepth = max(1, pipelineDepth)
    }

    /// Appends one entry and returns its id.
    public func add(stream: String, fields: StreamFields) async throws -> String {
        let command = xadd(stream: stream, fields: fields)
        let reply = try await client.send(command)
        guard let id = reply.string else {
            throw StreamError.unexpectedReply(command: "XADD", detail: "expected the new entry id")
        }
        return id
    }

    /// Appends one entry of text values and returns its id.
    public func add(stream: String, fields: KeyValuePairs<String, String>) async throws -> String {
        try await add(stream: stream, fields: fields.map { (name: $0.key, value: Array($0.value.utf8)) })
    }

    /// Appends entries in order, `pipelineDepth` per round trip, and returns their ids.
    ///
    /// - Throws: ``StreamError/batchFailed(addedIDs:reason:)`` at the first error reply (the entries
    ///   before it were added), or a ``Redis/RedisError`` if the connection broke (some may have been added).
    public func addBatch(stream: String, entries: [StreamFields]) async throws -> [String] {
        try await addBatch(entries.map { (stream: stream, fields: $0) })
    }

    /// Appends entries to their streams in order, `pipelineDepth` per round trip, and returns their ids
    /// (as ``addBatch(stream:entries:)``, for entries bound for several streams).
    public func addBatch(_ entries: [(stream: String, fields: StreamFields)]) async throws -> [String] {
        if entries.isEmpty { return [] }
        let commands = entries.map { xadd(stream: $0.stream, fields: $0.fields) }
        let depth = pipelineDepth
        return try await client.withConnection { connection in
            var ids: [String] = []
            ids.reserveCapacity(commands.count)
            var start = 0
            while start < commands.count {
                let end = min(start + depth, commands.count)
                for reply in try connection.pipeline(Array(commands[start..<end])) {
                    guard let id = reply.bytes.map({ String(decoding: $0, as: UTF8.self) }) else {
                        throw StreamError.batchFailed(addedIDs: ids, reason: reply.errorMessage ?? "unexpected XADD reply")
                    }
                    ids.append(id)
                }
                start = end
            }
            return ids
        }
    }

    private func xadd(stream: String, fields: StreamFields) -> [[UInt8]] {
        var command: [[UInt8]] = [Array("XADD".utf8), Array(stream.utf8)]
        command.reserveCapacity(6 + fields.count * 2)
        if let maxLength {
            command += [Array("MAXLEN".utf8), [UInt8(ascii: "~")], Array(String(maxLength).utf8)]
        }
        command.append([UInt8(ascii: "*")])
        for field in fields {
            command.append(Array(field.name.utf8))
            command.append(field.value)
        }
        return command
    }
}

import Redis

/// Appends entries to streams with `XADD`, keeping `MAXLEN ~ maxLength` as a memory safety valve
/// (safe trimming below that is ``StreamTrimmer``'s job).
///
/// When the connection breaks (or, with Sentinel, the server turns out not to be the primary), an `XADD`
/// is sent again with the same bytes for up to ``retryWindow``: the entry may then be in the stream twice,
/// and consumers drop the repeat by the event id inside it (at-least-once).
///
/// With a ``router`` each entry is written to the stream it names (for partitioned streams: the partition of
/// the entry's key), computed locally, so a batch still takes one round trip per `pipelineDepth` entries.
public struct StreamProducer: Sendable {
    /// Chooses the stream an entry is actually written to from the stream asked for and the entry's fields.
    public typealias Router = @Sendable (_ stream: String, _ fields: StreamFields) -> String

    /// The default safety valve: about one million entries per stream.
    public static let defaultMaxLength = 1_000_000

    private let client: RedisClient
    /// Approximate cap per stream (`MAXLEN ~`); nil writes without a cap.
    public let maxLength: Int?
    /// Commands per pipelined round trip in ``addBatch(stream:entries:)``.
    public let pipelineDepth: Int
    /// How long a write is retried after connection errors; zero fails at the first one.
    public let retryWindow: Duration
    /// Maps a requested stream to the stream written (nil: as asked).
    public let router: Router?
    /// Replication every write waits for (nil: none, Redis's asynchronous replication as is).
    public let replicaWait: ReplicaWait?

    /// Default ``retryWindow`` with Sentinel: long enough for a failover with `down-after-milliseconds` 5000.
    public static let defaultSentinelRetryWindow: Duration = .seconds(15)

    /// Creates a producer on `client`. `retryWindow` defaults to ``defaultSentinelRetryWindow`` when the
    /// client uses Sentinel or a Redis Cluster (a master failover), and to zero (no retry, as before) for a
    /// single server.
    public init(
        client: RedisClient, maxLength: Int? = StreamProducer.defaultMaxLength, pipelineDepth: Int = 100,
        retryWindow: Duration? = nil, router: Router? = nil, replicaWait: ReplicaWait? = nil
    ) {
        self.client = client
        self.router = router
        self.replicaWait = replicaWait
        self.maxLength = maxLength
        self.pipelineDepth = max(1, pipelineDepth)
        let failsOver = client.configuration.sentinel != nil || client.configuration.cluster != nil
        self.retryWindow = retryWindow ?? (failsOver ? Self.defaultSentinelRetryWindow : .zero)
    }

    /// Appends one entry and returns its id.
    public func add(stream: String, fields: StreamFields) async throws -> String {
        let command = xadd(stream: stream, fields: fields)
        guard let replicaWait else {
            let reply = try await retrying { try await client.send(command) }
            guard let id = reply.string else {
                throw StreamError.unexpectedReply(command: "XADD", detail: "expected the new entry id")
            }
            return id
        }
        let replies = try await retrying { try await client.pipeline([command, replicaWait.command]) }
        guard replies.count == 2, let id = replies[0].string else {
            throw StreamError.unexpectedReply(command: "XADD", detail: replies.first?.errorMessage ?? "expected the new entry id")
        }
        try replicaWait.check(replies[1], added: [id])
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
        if retryWindow == .zero {
            return try await client.withConnection { connection in
                var ids: [String] = []
                ids.reserveCapacity(commands.count)
                try Self.send(commands, from: 0, depth: self.pipelineDepth, wait: self.replicaWait, on: connection, into: &ids)
                return ids
            }
        }
        var ids: [String] = []
        ids.reserveCapacity(commands.count)
        while ids.count < commands.count {
            let start = ids.count
            let end = min(start + pipelineDepth, commands.count)
            let chunk = Array(commands[start..<end])
            let added = ids
            let chunkIDs = try await retrying {
                try await client.withConnection { connection in
                    var result = added
                    try Self.send(chunk, from: 0, depth: chunk.count, wait: self.replicaWait, on: connection, into: &result)
                    return Array(result[added.count...])
                }
            }
            ids += chunkIDs
        }
        return ids
    }

    /// Pipelines `commands[start...]`, `depth` per round trip (each ending with `wait`'s `WAIT` when given),
    /// appending the new ids to `ids`.
    private static func send(
        _ commands: [[[UInt8]]], from start: Int, depth: Int, wait: ReplicaWait?, on connection: RedisConnection,
        into ids: inout [String]
    ) throws {
        var start = start
        while start < commands.count {
            let end = min(start + depth, commands.count)
            var replies = try connection.pipeline(Array(commands[start..<end]) + (wait.map { [$0.command] } ?? []))
            let waited = wait == nil ? nil : replies.popLast()
            for reply in replies {
                guard let id = reply.bytes.map({ String(decoding: $0, as: UTF8.self) }) else {
                    throw StreamError.batchFailed(addedIDs: ids, reason: reply.errorMessage ?? "unexpected XADD reply")
                }
                ids.append(id)
            }
            if let wait, let waited { try wait.check(waited, added: ids) }
            start = end
        }
    }

    /// Runs `write` again after connection errors (100 ms doubling to 1 s) until ``retryWindow`` has passed.
    private func retrying<T: Sendable>(_ write: () async throws -> T) async throws -> T {
        let deadline = ContinuousClock.now + retryWindow
        var delay = Duration.milliseconds(100)
        while true {
            do {
                return try await write()
            } catch let error as RedisError where error.isConnectionError {
                guard ContinuousClock.now + delay < deadline else { throw error }
                try await Task.sleep(for: delay)
                delay = min(delay * 2, .seconds(1))
            }
        }
    }

    private func xadd(stream: String, fields: StreamFields) -> [[UInt8]] {
        let stream = router?(stream, fields) ?? stream
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

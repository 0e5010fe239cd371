import Logging
import Redis
import ServiceLifecycle
import Synchronization

/// One entry read by a ``StreamTail``: its Redis id and the value of its `event` field.
struct TailEntry: Sendable {
    var id: String
    var event: [UInt8]?
}

/// Follows one stream, or every partition of one (one `XREAD BLOCK` over all of them), without a consumer
/// group, from the entry after the newest one at start, calling `handle` with each batch (in order within a
/// stream; a session's entries are all in one partition). A blocked read is interrupted at graceful shutdown
/// with `CLIENT UNBLOCK`; a broken connection is retried with backoff from the last id handled.
final class StreamTail: Sendable {
    let redis: RedisClient
    let streams: [String]
    let blockMilliseconds: Int
    let logger: Logger
    private let clientID = Atomic<Int64>(-1)
    private let stopping = Atomic<Bool>(false)

    /// The first stream followed (for log lines).
    var stream: String { streams[0] }

    convenience init(redis: RedisClient, stream: String, blockMilliseconds: Int, logger: Logger) {
        self.init(redis: redis, streams: [stream], blockMilliseconds: blockMilliseconds, logger: logger)
    }

    init(redis: RedisClient, streams: [String], blockMilliseconds: Int, logger: Logger) {
        precondition(!streams.isEmpty, "a tail follows at least one stream")
        self.redis = redis
        self.streams = streams
        self.blockMilliseconds = blockMilliseconds
        self.logger = logger
    }

    /// Reads until graceful shutdown.
    func run(_ handle: @escaping @Sendable ([TailEntry]) async -> Void) async {
        let reader = redis.makeDedicatedConnection(readTimeout: .milliseconds(blockMilliseconds + 5000))
        defer { Task { await reader.close() } }
        await withGracefulShutdownHandler {
            var last: [String]?
            var failures = 0
            while !stopping.load(ordering: .acquiring) {
                do {
                    if last == nil { last = try await newestIDs(reader) }
                    let read = try await read(reader, after: last ?? streams.map { _ in "0-0" })
                    failures = 0
                    last = read.last
                    if !read.entries.isEmpty { await handle(read.entries) }
                } catch {
                    if stopping.load(ordering: .acquiring) { break }
                    failures += 1
                    if failures == 1 || failures % 20 == 0 {
                        logger.warning("tailing a stream failed; retrying", metadata: ["stream": "\(stream)", "error": "\(error)"])
                    }
                    try? await Task.sleep(for: .milliseconds(min(5000, 100 * (1 << min(failures, 6)))))
                }
            }
        } onGracefulShutdown: { [self] in
            stopping.store(true, ordering: .releasing)
            let id = clientID.load(ordering: .acquiring)
            guard id >= 0 else { return }
            Task { _ = try? await redis.send(["CLIENT", "UNBLOCK", String(id)]) }
        }
    }

    private func newestIDs(_ reader: RedisDedicatedConnection) async throws -> [String] {
        let commands = streams.map { ["XREVRANGE", $0, "+", "-", "COUNT", "1"] }
        let replies = try await reader.run { connection in try connection.pipeline(commands) }
        return replies.map { $0.array?.first?.array?.first?.string ?? "0-0" }
    }

    /// One `XREAD` over every stream; the entries (stream by stream) and each stream's new last id.
    private func read(_ reader: RedisDedicatedConnection, after ids: [String]) async throws -> (entries: [TailEntry], last: [String]) {
        let command = ["XREAD", "COUNT", "500", "BLOCK", String(blockMilliseconds), "STREAMS"] + streams + ids
        let reply = try await reader.run { [self] connection in
            self.clientID.store(try connection.clientID(), ordering: .releasing)
            return try connection.command(command).throwingOnError()
        }
        var last = ids
        var entries: [TailEntry] = []
        for item in reply.array ?? [] {
            guard let pair = item.array, pair.count == 2, let name = pair[0].string else { continue }
            let read = Self.rangeEntries(pair[1])
            if let newest = read.last?.id, let index = streams.firstIndex(of: name) { last[index] = newest }
            entries += read
        }
        return (entries, last)
    }

    /// Parses an `XREAD`/`XRANGE` reply of one stream.
    static func entries(_ reply: RedisReply) -> [TailEntry] {
        guard let streams = reply.array else { return [] }
        var result: [TailEntry] = []
        for stream in streams {
            guard let pair = stream.array, pair.count == 2 else { continue }
            result += rangeEntries(pair[1])
        }
        return result
    }

    /// Parses the entries of an `XRANGE` reply.
    static func rangeEntries(_ reply: RedisReply) -> [TailEntry] {
        guard let items = reply.array else { return [] }
        return items.compactMap { item in
            guard let pair = item.array, pair.count == 2, let id = pair[0].string else { return nil }
            var event: [UInt8]?
            if let fields = pair[1].array {
                var index = 0
                while index + 1 < fields.count {
                    if fields[index].string == "event" { event = fields[index + 1].bytes }
                    index += 2
                }
            }
            return TailEntry(id: id, event: event)
        }
    }
}

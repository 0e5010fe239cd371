import Logging
import Redis
import RedisStreams
import ServiceLifecycle
import ServiceLifecycleTestKit
import Synchronization
import TestSupport
import Testing

/// A client on the shared test server plus a random stream name.
struct StreamTestHarness {
    let client: RedisClient
    let stream: String
    let group: String
    let logger: Logger

    init(server: RedisTestServer? = nil, label: String = #function) async throws {
        let target: RedisTestServer
        if let server {
            target = server
        } else {
            target = try await RedisTestServer.shared()
        }
        var logger = Logger(label: "test.streams")
        logger.logLevel = .warning
        self.logger = logger
        self.client = RedisClient(configuration: try target.configuration, poolSize: 3, logger: logger)
        let prefix = RedisTestServer.uniquePrefix("kefu:test")
        self.stream = prefix + "stream"
        self.group = "g"
    }

    func configuration(
        consumer: String = "c1",
        group: String? = nil,
        batchSize: Int = 50,
        blockMilliseconds: Int = 200,
        claimIdleMilliseconds: Int = 60_000,
        claimIntervalMilliseconds: Int = 100,
        maxDeliveries: Int = 5
    ) -> StreamConsumerConfiguration {
        StreamConsumerConfiguration(
            stream: stream,
            group: group ?? self.group,
            consumer: consumer,
            batchSize: batchSize,
            blockMilliseconds: blockMilliseconds,
            claimIdleMilliseconds: claimIdleMilliseconds,
            claimIntervalMilliseconds: claimIntervalMilliseconds,
            maxDeliveries: maxDeliveries
        )
    }

    /// Adds `count` entries with one `event` field `"<prefix><n>"`; returns their ids.
    @discardableResult
    func produce(_ count: Int, prefix: String = "e") async throws -> [String] {
        let producer = StreamProducer(client: client)
        let entries: [StreamFields] = (0..<count).map { [(name: "event", value: Array("\(prefix)\($0)".utf8))] }
        return try await producer.addBatch(stream: stream, entries: entries)
    }

    /// Number of entries pending in `group`.
    func pendingCount(group: String? = nil) async throws -> Int64 {
        guard let reply = try? await client.send(["XPENDING", stream, group ?? self.group]) else { return -1 }
        return reply.array?.first?.int ?? -1
    }

    /// Entries of a stream as (id, fields as text).
    func range(_ key: String) async throws -> [(id: String, fields: [String: String])] {
        let reply = try await client.send(["XRANGE", key, "-", "+"])
        return (reply.array ?? []).compactMap { item in
            guard let pair = item.array, pair.count == 2, let id = pair[0].string, let flat = pair[1].array else { return nil }
            var fields: [String: String] = [:]
            var index = 0
            while index + 1 < flat.count {
                fields[flat[index].string ?? ""] = flat[index + 1].string
                index += 2
            }
            return (id, fields)
        }
    }

    func shutdown() async {
        await client.shutdown()
    }
}

/// Thread-safe record of what a handler saw.
final class HandlerLog: Sendable {
    private let state = Mutex<(batches: [[String]], calls: Int)>(([], 0))

    func append(_ batch: [String]) {
        state.withLock {
            $0.batches.append(batch)
            $0.calls += 1
        }
    }

    var ids: [String] { state.withLock { $0.batches.flatMap { $0 } } }
    var batches: [[String]] { state.withLock { $0.batches } }
}

/// Runs `service` while `body` runs, then triggers graceful shutdown and waits for it to return.
func withRunning<S: Service>(_ service: S, _ body: () async throws -> Void) async throws {
    try await testGracefulShutdown { trigger in
        try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask { try await service.run() }
            do {
                try await body()
            } catch {
                group.cancelAll()
                throw error
            }
            trigger.triggerGracefulShutdown()
            try await group.waitForAll()
        }
    }
}

/// Polls `condition` every 20 ms until it holds or `timeout` passes.
func eventually(
    timeout: Duration = .seconds(10),
    _ what: String = "condition",
    _ condition: () async throws -> Bool
) async throws {
    let deadline = ContinuousClock.now + timeout
    while ContinuousClock.now < deadline {
        if try await condition() { return }
        try await Task.sleep(for: .milliseconds(20))
    }
    Issue.record("timed out waiting for \(what)")
    throw TimedOut()
}

struct TimedOut: Error {}

/// Decodes the `event` field as text; entries whose event starts with "bad" fail to decode.
struct TextEvent: Sendable, Equatable {
    var text: String
}

struct DecodeFailure: DeadLetterCause, CustomStringConvertible {
    var description: String { "event is not valid" }
    var deadLetterReason: String { "invalid_field: \(description)" }
}

func decodeText(_ entry: StreamEntry) throws -> TextEvent {
    guard let text = entry.string("event"), !text.hasPrefix("bad") else { throw DecodeFailure() }
    return TextEvent(text: text)
}

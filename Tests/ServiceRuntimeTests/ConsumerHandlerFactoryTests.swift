import Foundation
import KefuModel
import Postgres
import Redis
import RedisStreams
import Synchronization
import Testing
import TestSupport
@testable import ServiceRuntime

/// A consumer with its own batch handler (``ConsumerDefinition/handlerFactory``) runs under the runtime's
/// stream consumer: built with the service's context and group, acknowledged after `handle` returns,
/// retried alone when a batch fails, dead-lettered when `decode` throws.
@Suite struct ConsumerHandlerFactoryTests {
    /// Records what it handles; entries whose value is `fail` make `handle` throw, `bad` fails `decode`.
    struct RecordingHandler: StreamHandler {
        let group: String
        let box: Box

        func decode(_ entry: StreamEntry) throws -> String {
            let text = entry.string("event") ?? ""
            if text == "bad" { throw RecordingError.undecodable }
            return text
        }

        func handle(_ batch: [StreamMessage<String>]) async throws {
            if batch.contains(where: { $0.message == "fail" }) { throw RecordingError.failing }
            box.handled.withLock { $0.append(batch.map(\.message)) }
        }
    }

    enum RecordingError: Error { case undecodable, failing }

    final class Box: Sendable {
        let handled = Mutex<[[String]]>([])
        let groups = Mutex<[String]>([])
    }

    @Test func aFactoryHandlerGetsBatchesAndTheRuntimeAcknowledgesAfterIt() async throws {
        let redisServer = try await RedisTestServer.shared()
        let database = try await PostgresTestServer.shared().makeDatabase()
        let prefix = "factory\(UInt32.random(in: 0...UInt32.max))"
        let configuration = try ServiceConfiguration(
            service: "custom", defaultPort: 8099,
            reader: ConfigReader(environment: [
                "REDIS_URL": redisServer.url, "DATABASE_URL": database, "KEFU_STREAM_PREFIX": prefix,
                "KEFU_INSTANCE": "t-0", "KEFU_STREAM_BLOCK_MS": "100",
            ]))
        let redis = RedisClient(configuration: configuration.redis, logger: .init(label: "test"))
        let postgres = PostgresClient(configuration: configuration.database, logger: .init(label: "test"))
        let context = ServiceContext(
            configuration: configuration, redis: redis, producer: StreamProducer(client: redis), postgres: postgres,
            streams: configuration.streamNames, readiness: Readiness(), logger: .init(label: "test"))
        let box = Box()
        let consumer = ConsumerDefinition(stream: .inbound, unknownTypes: .deadLetter) { context, group in
            box.groups.withLock { $0.append(group) }
            return RecordingHandler(group: group, box: box)
        }
        let definition = ServiceDefinition(name: "custom", defaultPort: 8099, migrations: [], consumers: [consumer])
        let stream = "\(prefix):inbound"
        try await StreamGroups.create(stream: stream, group: definition.group, redis: redis)
        for value in ["a", "b", "fail", "bad", "c"] {
            _ = try await context.producer.add(stream: stream, fields: ["event": value])
        }
        context.readiness.set(.consumerGroups, true)

        let service = EventConsumerService(definition: definition, consumer: consumer, context: context)
        let running = Task { try await service.run() }
        let deadline = ContinuousClock.now + .seconds(20)
        var pending: Int64 = -1
        var dead: Int64 = 0
        while ContinuousClock.now < deadline {
            pending = try await redis.send(["XPENDING", stream, definition.group]).array?.first?.int ?? -1
            dead = try await redis.send(["XLEN", "\(stream):dead"]).int ?? 0
            if pending == 1, dead == 1, box.handled.withLock({ $0.flatMap { $0 } }).count == 3 { break }
            try await Task.sleep(for: .milliseconds(50))
        }
        running.cancel()
        _ = try? await running.value

        #expect(box.groups.withLock { $0 } == ["custom"])
        #expect(box.handled.withLock { $0.flatMap { $0 } } == ["a", "b", "c"], "the failed batch was retried entry by entry")
        #expect(pending == 1, "only the failing entry stays pending")
        #expect(dead == 1, "the undecodable entry is dead-lettered")
        await redis.shutdown()
        try await postgres.shutdown()
    }
}

import Foundation
import Hummingbird
import Logging
import Redis
import RedisStreams
import ServiceLifecycle
import ServiceRuntime
import Testing
import TestSupport

/// No blocking C call runs on Swift's cooperative pool (two threads here): four consumers blocked in
/// `XREADGROUP … BLOCK 5000` must not stop the HTTP server from answering.
@Suite struct CooperativePoolTests {
    struct NoopHandler: StreamHandler {
        func decode(_ entry: StreamEntry) throws -> Int { 0 }
        func handle(_ batch: [StreamMessage<Int>]) async throws {}
    }

    @Test func healthAnswersWhileFourConsumersAreBlocked() async throws {
        let server = try await RedisTestServer.shared()
        let redis = RedisClient(configuration: try server.configuration, logger: Logger(label: "test"))
        let stream = "block\(UInt32.random(in: 0...UInt32.max)):idle"
        let consumers = try (0..<4).map { index in
            let configuration = StreamConsumerConfiguration(
                stream: stream, group: "g", consumer: "c\(index)", blockMilliseconds: 5_000, claimIntervalMilliseconds: 60_000)
            return try StreamConsumer(client: redis, configuration: configuration, handler: NoopHandler(), logger: Logger(label: "test"))
        }
        let port = HTTPProbe.freePort()
        let router = Router()
        OperationalRoutes.add(to: router, service: "test", readiness: Readiness(checks: []))
        let app = Application(router: router, configuration: .init(address: .hostname("127.0.0.1", port: port)))
        let group = ServiceGroup(configuration: .init(services: consumers + [app], logger: Logger(label: "test")))

        try await withThrowingTaskGroup(of: Void.self) { tasks in
            tasks.addTask { try await group.run() }
            _ = try await HTTPProbe.waitFor("http://127.0.0.1:\(port)/health", timeout: .seconds(10))
            var blocked = 0
            for _ in 0..<100 where blocked < 4 {
                let clients = try await redis.send(["CLIENT", "LIST"]).string ?? ""
                blocked = clients.split(separator: "\n").filter { $0.contains("cmd=xreadgroup") }.count
                try await Task.sleep(for: .milliseconds(50))
            }
            #expect(blocked >= 4, "consumers blocked in XREADGROUP: \(blocked)")
            for _ in 0..<5 {
                let started = ContinuousClock.now
                let response = try await HTTPProbe.get("http://127.0.0.1:\(port)/health", timeout: 2)
                let elapsed = ContinuousClock.now - started
                #expect(response.status == 200)
                #expect(elapsed < .milliseconds(100), "/health took \(elapsed) while consumers were blocked")
            }
            await group.triggerGracefulShutdown()
            try await tasks.waitForAll()
        }
        await redis.shutdown()
    }
}

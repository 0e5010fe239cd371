import Foundation
import KefuModel
import Postgres
import Redis
import RedisStreams
import ServiceRuntime
import Testing
import TestSupport

/// At-least-once delivery across processes: real worker processes (the service runtime with a consumer
/// group and inbox) are killed mid-batch and restarted while another worker claims their entries; with one
/// stream and with 4 partitions (`KEFU_STREAM_PARTITIONS`).
@Suite(.serialized)
struct StreamReliabilityTests {
    static func envelope(_ type: EventType, _ index: Int) throws -> [UInt8] {
        let visitor = "visitor-\(index)"
        let json: String
        switch type {
        case .visitorEnd:
            json = #"{"id":"\#(UUID().uuidString.lowercased())","type":"visitor.end","version":1,"time":"2026-11-25T08:00:00.000Z","source":"test","data":{"channel":"web-pc","visitor_id":"\#(visitor)"}}"#
        default:
            json = #"{"id":"\#(UUID().uuidString.lowercased())","type":"visitor.message","version":1,"time":"2026-11-25T08:00:00.000Z","source":"test","data":{"channel":"web-pc","visitor_id":"\#(visitor)","client_message_id":"m\#(index)","text":"你好 \#(index)"}}"#
        }
        _ = try EnvelopeCodec.decodeHeader(Array(json.utf8))
        return Array(json.utf8)
    }

    func worker(
        _ name: String, redis: String, database: String, prefix: String, delayMs: Int, claimIdleMs: Int, partitions: Int
    ) throws -> TestProcess {
        try TestProcess(
            executable: TestProcess.product("kefu-stream-worker"),
            environment: [
                "REDIS_URL": redis, "DATABASE_URL": database, "HTTP_PORT": "\(HTTPProbe.freePort())",
                "KEFU_STREAM_PREFIX": prefix, "KEFU_INSTANCE": name, "WORKER_DELAY_MS": "\(delayMs)",
                "KEFU_STREAM_BATCH_SIZE": "50", "KEFU_STREAM_BLOCK_MS": "200",
                "KEFU_STREAM_CLAIM_IDLE_MS": "\(claimIdleMs)", "KEFU_STREAM_MAX_DELIVERIES": "3",
                "KEFU_STREAM_PARTITIONS": "\(partitions)",
            ])
    }

    @Test(arguments: [1, 4])
    func killedConsumerLosesNothingAndDuplicatesNothing(partitions: Int) async throws {
        let redisServer = try await RedisTestServer.shared()
        let databaseURL = try await PostgresTestServer.shared().makeDatabase()
        let prefix = "rel\(UInt32.random(in: 0...UInt32.max))"
        let names = try StreamNames(prefix: prefix, partitions: partitions)
        let stream = names.inbound
        let streams = names.partitions(of: .inbound)
        func sum(_ command: (String) -> [String]) async throws -> Int64 {
            var total: Int64 = 0
            for stream in streams { total += try await redis.send(command(stream)).array?.first?.int ?? 0 }
            return total
        }
        let redis = RedisClient(configuration: try redisServer.configuration, logger: .init(label: "test"))
        let postgres = PostgresClient(configuration: try PostgresConfiguration(url: databaseURL), logger: .init(label: "test"))
        defer { Task { await redis.shutdown(); try? await postgres.shutdown() } }

        let producer = StreamProducer(client: redis, router: StreamPartitionCheck.router(names))
        let total = 20_000
        var batch: [[(name: String, value: [UInt8])]] = []
        for index in 0..<total {
            batch.append([(name: "event", value: try Self.envelope(.visitorMessage, index))])
            if batch.count == 500 {
                try await producer.addBatch(stream: stream, entries: batch)
                batch.removeAll()
            }
        }
        try await producer.addBatch(stream: stream, entries: [[(name: "event", value: Array("not json at all".utf8))]])
        try await producer.addBatch(stream: stream, entries: [[(name: "event", value: try Self.envelope(.visitorEnd, 0))]])

        var first = try worker("a", redis: redisServer.url, database: databaseURL, prefix: prefix, delayMs: 1, claimIdleMs: 1_500, partitions: partitions)
        let second = try worker("b", redis: redisServer.url, database: databaseURL, prefix: prefix, delayMs: 0, claimIdleMs: 1_500, partitions: partitions)
        defer { first.terminate(); second.terminate() }

        func count(_ sql: String) async throws -> Int {
            guard let row = try await postgres.query(sql).first else { return -1 }
            return try row.decode(Int.self, at: 0)
        }
        func received() async -> Int { (try? await count("SELECT count(*) FROM worker.received")) ?? 0 }

        let deadline = ContinuousClock.now + .seconds(120)
        while await received() < 2_000, ContinuousClock.now < deadline {
            try #require(first.process.isRunning && second.process.isRunning, "a worker exited: \(first.output())\(second.output())")
            try await Task.sleep(for: .milliseconds(20))
        }
        first.send(SIGKILL)
        _ = await first.waitForExit(timeout: .seconds(10))
        var pendingOfKilled = 0
        for stream in streams {
            pendingOfKilled += try await redis.send(["XPENDING", stream, "worker", "-", "+", "1000", "worker-a"]).array?.count ?? 0
        }
        #expect(pendingOfKilled > 0, "the kill should land inside a batch")
        try await Task.sleep(for: .seconds(2))
        first = try worker(
            "a", redis: redisServer.url, database: databaseURL, prefix: prefix, delayMs: 0, claimIdleMs: 1_500, partitions: partitions)

        while await received() < total, ContinuousClock.now < deadline {
            try await Task.sleep(for: .milliseconds(100))
        }
        var pending = Int64(-1)
        while ContinuousClock.now < deadline {
            pending = try await sum { ["XPENDING", $0, "worker"] }
            if pending == 0 { break }
            try await Task.sleep(for: .milliseconds(200))
        }
        #expect(await received() == total)
        #expect(try await count("SELECT count(DISTINCT event_id) FROM worker.received") == total)
        #expect(try await count("SELECT count(*) FROM worker.processed_events") == total)
        #expect(pending == 0, "pending entries left: \(pending)")
        #expect(try await count("SELECT count(DISTINCT consumer) FROM worker.received") == 2)

        var dead: [RedisReply] = []
        for stream in streams { dead += try await redis.send(["XRANGE", "\(stream):dead", "-", "+"]).array ?? [] }
        let letters = try dead.map { entry -> DeadLetter in
            let flat = entry.array?.last?.array?.compactMap(\.string) ?? []
            let fields = Dictionary(stride(from: 0, to: flat.count - 1, by: 2).map { (flat[$0], flat[$0 + 1]) }) { first, _ in first }
            return try DeadLetter(fields: fields)
        }
        #expect(letters.allSatisfy { streams.contains($0.stream) && $0.group == "worker" && $0.deliveries >= 1 })
        let reasons = letters.map(\.reason)
        #expect(reasons.count == 2, "dead letters: \(reasons)")
        #expect(reasons.contains { $0.hasPrefix("not_json: ") })
        #expect(reasons.contains { $0.hasPrefix("max_deliveries: failed 3 deliveries") && $0.contains("visitor.end events always fail") })

        first.send(SIGTERM)
        second.send(SIGTERM)
        #expect(await first.waitForExit(timeout: .seconds(20)) == 0)
        #expect(await second.waitForExit(timeout: .seconds(20)) == 0)
        #expect(second.output().contains("stopped cleanly"))
    }
}

import Foundation
import KefuModel
import Logging
import Redis
import RedisStreams
import Synchronization
import Testing
import TestSupport
@testable import ServiceRuntime

/// Partitioned streams on one real Redis: entries go to the partition of their session (or visitor), one
/// consumer per partition keeps each session's order, dead letters and claims stay in the partition, the
/// trimmer covers every partition, and a differing partition count is refused at start.
@Suite(.serialized)
struct PartitionedStreamTests {
    final class Seen: Sendable {
        let value = Mutex<[(session: String, seq: Int)]>([])
    }

    /// Records `(session, seq)` in handling order; entries with `"bad"` fail to decode.
    struct OrderHandler: StreamHandler {
        let seen: Seen

        struct Undecodable: Error {}
        struct Probe: Decodable {
            struct Data: Decodable {
                var session_id: String
                var seq: Int
                var bad: Bool?
            }
            var data: Data
        }

        func decode(_ entry: StreamEntry) throws -> (session: String, seq: Int) {
            let probe = try JSONDecoder().decode(Probe.self, from: Foundation.Data(entry[field: "event"] ?? []))
            if probe.data.bad == true { throw Undecodable() }
            return (probe.data.session_id, probe.data.seq)
        }

        func handle(_ batch: [StreamMessage<(session: String, seq: Int)>]) async throws {
            seen.value.withLock { $0 += batch.map(\.message) }
        }
    }

    static func envelope(session: String, seq: Int, bad: Bool = false) -> StreamFields {
        let extra = bad ? #","bad":true"# : ""
        return [(name: "event", value: Array(#"{"id":"e","type":"t","data":{"session_id":"\#(session)","seq":\#(seq)\#(extra)}}"#.utf8))]
    }

    func sum(_ redis: RedisClient, _ command: (String) -> [String], over streams: [String]) async throws -> Int {
        var total = 0
        for stream in streams {
            let reply = try await redis.send(command(stream))
            total += Int(reply.int ?? reply.array?.first?.int ?? 0)
        }
        return total
    }

    @Test func sessionsKeepTheirOrderInTheirPartitionAndDeadLettersStayThere() async throws {
        let server = try await RedisTestServer.shared()
        let redis = RedisClient(configuration: try server.configuration, logger: Logger(label: "test"))
        defer { Task { await redis.shutdown() } }
        let names = try StreamNames(prefix: "part\(UInt32.random(in: 0...UInt32.max))", partitions: 4)
        let producer = StreamProducer(client: redis, router: StreamPartitionCheck.router(names))
        let sessions = (0..<30).map { "s-\($0)" }
        let perSession = 40
        var entries: [(stream: String, fields: StreamFields)] = []
        for seq in 1...perSession {
            for session in sessions { entries.append((names.inbound, Self.envelope(session: session, seq: seq))) }
        }
        entries.append((names.inbound, Self.envelope(session: "s-3", seq: 0, bad: true)))
        _ = try await producer.addBatch(entries)

        let partitions = names.partitions(of: .inbound)
        #expect(try await redis.send(["EXISTS", names.inbound]).int == 0, "nothing goes to the unpartitioned name")
        #expect(try await sum(redis, { ["XLEN", $0] }, over: partitions) == sessions.count * perSession + 1)
        for stream in partitions {
            let entries = try await redis.send(["XRANGE", stream, "-", "+"]).array ?? []
            #expect(!entries.isEmpty, "every partition gets sessions: \(stream)")
            for entry in entries {
                let json = entry.array?.last?.array?.last?.string ?? ""
                let session = try #require(json.firstMatch(of: /"session_id":"([^"]+)"/)).output.1
                #expect(names.partition(of: names.inbound, key: String(session)) == stream)
            }
        }

        let seen = Seen()
        for stream in partitions { try await StreamGroups.create(stream: stream, group: "g", redis: redis) }
        let consumer = try PartitionedStreamConsumer(
            client: redis, partitions: partitions,
            configuration: StreamConsumerConfiguration(stream: names.inbound, group: "g", consumer: "c1", batchSize: 25, blockMilliseconds: 100),
            handler: OrderHandler(seen: seen), logger: Logger(label: "test"))
        #expect(consumer.consumers.map(\.configuration.deadLetterStream) == partitions.map { $0 + ":dead" })
        let running = Task { try await consumer.run() }
        let deadline = ContinuousClock.now + .seconds(30)
        var pending = -1
        while ContinuousClock.now < deadline {
            pending = try await sum(redis, { ["XPENDING", $0, "g"] }, over: partitions)
            if seen.value.withLock({ $0.count }) == sessions.count * perSession, pending == 0 { break }
            try await Task.sleep(for: .milliseconds(50))
        }
        running.cancel()
        _ = try? await running.value

        let handled = seen.value.withLock { $0 }
        #expect(handled.count == sessions.count * perSession)
        #expect(pending == 0)
        for session in sessions {
            #expect(handled.filter { $0.session == session }.map(\.seq) == Array(1...perSession), "order of \(session)")
        }
        let home = names.partition(of: names.inbound, key: "s-3")
        let dead = try await redis.send(["XRANGE", home + ":dead", "-", "+"]).array ?? []
        #expect(dead.count == 1, "the undecodable entry is dead-lettered in its own partition")
        let fields = dead.first?.array?.last?.array?.compactMap(\.string) ?? []
        #expect(fields.contains(home), "dead.stream names the partition: \(fields)")
        #expect(try await sum(redis, { ["XLEN", $0 + ":dead"] }, over: partitions) == 1)

        let trimmer = StreamTrimmer(client: redis, streams: partitions, logger: Logger(label: "test"))
        var trimmed = 0
        for stream in partitions { trimmed += try await trimmer.trimOnce(stream: stream) }
        #expect(trimmed > 0, "acknowledged entries are trimmed in every partition")
    }

    @Test func entriesOfACrashedConsumerAreClaimedInEveryPartition() async throws {
        let server = try await RedisTestServer.shared()
        let redis = RedisClient(configuration: try server.configuration, logger: Logger(label: "test"))
        defer { Task { await redis.shutdown() } }
        let names = try StreamNames(prefix: "claim\(UInt32.random(in: 0...UInt32.max))", partitions: 4)
        let producer = StreamProducer(client: redis, router: StreamPartitionCheck.router(names))
        let partitions = names.partitions(of: .events)
        for stream in partitions { try await StreamGroups.create(stream: stream, group: "g", redis: redis) }
        _ = try await producer.addBatch((0..<200).map { (names.events, Self.envelope(session: "c-\($0 % 20)", seq: $0 / 20 + 1)) })
        for stream in partitions {
            _ = try await redis.send(["XREADGROUP", "GROUP", "g", "crashed", "COUNT", "1000", "STREAMS", stream, ">"])
        }
        #expect(try await sum(redis, { ["XPENDING", $0, "g"] }, over: partitions) == 200)

        let seen = Seen()
        let consumer = try PartitionedStreamConsumer(
            client: redis, partitions: partitions,
            configuration: StreamConsumerConfiguration(
                stream: names.events, group: "g", consumer: "c2", blockMilliseconds: 100,
                claimIdleMilliseconds: 300, claimIntervalMilliseconds: 100),
            handler: OrderHandler(seen: seen), logger: Logger(label: "test"))
        let running = Task { try await consumer.run() }
        let deadline = ContinuousClock.now + .seconds(30)
        var pending = -1
        while ContinuousClock.now < deadline {
            pending = try await sum(redis, { ["XPENDING", $0, "g"] }, over: partitions)
            if pending == 0, seen.value.withLock({ $0.count }) == 200 { break }
            try await Task.sleep(for: .milliseconds(50))
        }
        running.cancel()
        _ = try? await running.value
        #expect(pending == 0)
        let handled = seen.value.withLock { $0 }
        #expect(handled.count == 200)
        for session in 0..<20 {
            #expect(handled.filter { $0.session == "c-\(session)" }.map(\.seq) == Array(1...10))
        }
    }

    @Test func aDifferingPartitionCountIsRefusedWithOneLine() async throws {
        let server = try await RedisTestServer.shared()
        let redis = RedisClient(configuration: try server.configuration, logger: Logger(label: "test"))
        defer { Task { await redis.shutdown() } }
        let prefix = "count\(UInt32.random(in: 0...UInt32.max))"
        let four = try StreamNames(prefix: prefix, partitions: 4)
        let stored = try await StreamPartitionCheck.storeOrRead(names: four, redis: redis)
        #expect(stored == "4")
        try StreamPartitionCheck.verify(stored: stored, names: four)
        let two = try StreamNames(prefix: prefix, partitions: 2)
        let again = try await StreamPartitionCheck.storeOrRead(names: two, redis: redis)
        #expect(again == "4", "the first count stays")
        #expect(throws: StreamPartitionMismatch.self) { try StreamPartitionCheck.verify(stored: again, names: two) }

        let database = try await PostgresTestServer.shared().makeDatabase()
        let worker = try TestProcess(
            executable: TestProcess.product("kefu-stream-worker"),
            environment: [
                "REDIS_URL": server.url, "DATABASE_URL": database, "HTTP_PORT": "\(HTTPProbe.freePort())",
                "KEFU_STREAM_PREFIX": prefix, "KEFU_INSTANCE": "w", "KEFU_STREAM_PARTITIONS": "2",
            ])
        defer { worker.terminate() }
        #expect(await worker.waitForExit(timeout: .seconds(20)) == 2)
        let lines = worker.output().split(separator: "\n").filter { $0.contains("KEFU_STREAM_PARTITIONS") }
        #expect(lines == ["kefu-worker: KEFU_STREAM_PARTITIONS=2 differs from the deployment's 4 (Redis key \(prefix):stream_partitions); every service of a deployment must use the same partition count"], "\(worker.output())")
    }
}

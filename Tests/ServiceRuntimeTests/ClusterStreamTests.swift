import Foundation
import KefuModel
import Logging
import Redis
import RedisStreams
import Synchronization
import Testing
import TestSupport
@testable import ServiceRuntime

/// The stream runtime with P = 6 on a real 3-master Redis Cluster started by the test (`redis-cli --cluster
/// create`): at-least-once with per-session order, dead letters in the partition's own dead stream, claims
/// of a killed consumer's entries, trimming, and partitions moved between masters under load.
@Suite(.serialized)
struct ClusterStreamTests {
    final class Seen: Sendable {
        let value = Mutex<[(session: String, seq: Int, id: String)]>([])
        let failedOnce = Mutex<Set<String>>([])
        var count: Int { value.withLock { $0.count } }
    }

    /// Records `(session, seq, id)`; `"bad"` entries fail to decode; `"flaky"` ones fail their first handling.
    struct Handler: StreamHandler {
        let seen: Seen
        struct Undecodable: Error {}
        struct Flaky: Error {}
        struct Probe: Decodable {
            struct Data: Decodable {
                var session_id: String
                var seq: Int
                var bad: Bool?
                var flaky: Bool?
            }
            var id: String
            var data: Data
        }

        func decode(_ entry: StreamEntry) throws -> Probe {
            let probe = try JSONDecoder().decode(Probe.self, from: Foundation.Data(entry[field: "event"] ?? []))
            if probe.data.bad == true { throw Undecodable() }
            return probe
        }

        func handle(_ batch: [StreamMessage<Probe>]) async throws {
            for message in batch where message.message.data.flaky == true {
                let first = seen.failedOnce.withLock { $0.insert(message.message.id).inserted }
                if first { throw Flaky() }
            }
            seen.value.withLock { $0 += batch.map { ($0.message.data.session_id, $0.message.data.seq, $0.message.id) } }
        }
    }

    static func envelope(id: String, session: String, seq: Int, extra: String = "") -> StreamFields {
        [(name: "event", value: Array(#"{"id":"\#(id)","type":"t","data":{"session_id":"\#(session)","seq":\#(seq)\#(extra)}}"#.utf8))]
    }

    let logger: Logger = {
        var logger = Logger(label: "test.cluster.streams")
        logger.logLevel = .error
        return logger
    }()

    func sum(_ redis: RedisClient, _ command: (String) -> [String], over streams: [String]) async throws -> Int {
        var total = 0
        for stream in streams {
            let reply = try await redis.send(command(stream))
            total += Int(reply.int ?? reply.array?.first?.int ?? 0)
        }
        return total
    }

    func owners(_ cluster: ClusterTestServer, _ streams: [String]) async throws -> [Int] {
        var owners: [Int] = []
        for stream in streams { owners.append(try await cluster.owner(of: ClusterKeySlot.slot(of: stream))) }
        return owners
    }

    @Test func streamRuntimeAcceptanceWithSixPartitionsOnThreeMasters() async throws {
        let cluster = try await ClusterTestServer()
        let redis = RedisClient(configuration: try cluster.configuration, poolSize: 3, logger: logger)
        do {
            try await redis.verifyClusterCoverage()
            let names = try StreamNames(prefix: "{acc\(UInt32.random(in: 0...UInt32.max))}", partitions: 6)
            #expect(try await StreamPartitionCheck.storeOrRead(names: names, redis: redis) == "6")
            let partitions = names.partitions(of: .inbound)
            #expect(Set(try await owners(cluster, partitions)).count == 3, "the six partitions span the three masters")
            for stream in partitions {
                #expect(ClusterKeySlot.slot(of: stream) == ClusterKeySlot.slot(of: stream + ":dead"), "dead letters share the slot")
            }

            let producer = StreamProducer(client: redis, router: StreamPartitionCheck.router(names))
            let sessions = (0..<30).map { "s-\($0)" }
            let perSession = 20
            var entries: [(stream: String, fields: StreamFields)] = []
            for seq in 1...perSession {
                for session in sessions {
                    let flaky = seq == 7 ? #","flaky":true"# : ""
                    entries.append((names.inbound, Self.envelope(id: "\(session)-\(seq)", session: session, seq: seq, extra: flaky)))
                }
            }
            entries.append((names.inbound, Self.envelope(id: "bad", session: "s-3", seq: 0, extra: #","bad":true"#)))
            _ = try await producer.addBatch(entries)
            #expect(try await sum(redis, { ["XLEN", $0] }, over: partitions) == sessions.count * perSession + 1)

            let seen = Seen()
            for stream in partitions { try await StreamGroups.create(stream: stream, group: "g", redis: redis) }
            let consumer = try PartitionedStreamConsumer(
                client: redis, partitions: partitions,
                configuration: StreamConsumerConfiguration(
                    stream: names.inbound, group: "g", consumer: "c1", batchSize: 25, blockMilliseconds: 100,
                    claimIdleMilliseconds: 10_000, claimIntervalMilliseconds: 100),
                handler: Handler(seen: seen), logger: logger)
            let running = Task { try await consumer.run() }
            let deadline = ContinuousClock.now + .seconds(40)
            var pending = -1
            while ContinuousClock.now < deadline {
                pending = try await sum(redis, { ["XPENDING", $0, "g"] }, over: partitions)
                if seen.count >= sessions.count * perSession, pending == 0 { break }
                try await Task.sleep(for: .milliseconds(50))
            }
            running.cancel()
            _ = try? await running.value

            let handled = seen.value.withLock { $0 }
            #expect(Set(handled.map(\.id)).count == sessions.count * perSession, "every entry handled (at least once)")
            #expect(pending == 0)
            #expect(seen.failedOnce.withLock { $0.count } == sessions.count, "each flaky entry failed once, then was handled")
            for session in sessions.prefix(5) {
                let seqs = handled.filter { $0.session == session }.map(\.seq).filter { $0 != 7 }
                #expect(seqs == Array(1...perSession).filter { $0 != 7 }, "order of \(session)")
            }
            let home = names.partition(of: names.inbound, key: "s-3")
            let dead = try await redis.send(["XRANGE", home + ":dead", "-", "+"]).array ?? []
            #expect(dead.count == 1, "the undecodable entry is dead-lettered in its own partition")
            #expect(dead.first?.array?.last?.array?.compactMap(\.string).contains(home) == true)
            #expect(try await sum(redis, { ["XLEN", $0 + ":dead"] }, over: partitions) == 1)

            // Claims: a consumer reads everything and dies; another claims its entries in every partition.
            let events = names.partitions(of: .events)
            for stream in events { try await StreamGroups.create(stream: stream, group: "g", redis: redis) }
            _ = try await producer.addBatch((0..<200).map { (names.events, Self.envelope(id: "c\($0)", session: "c-\($0 % 20)", seq: $0 / 20 + 1)) })
            for stream in events {
                _ = try await redis.send(["XREADGROUP", "GROUP", "g", "killed", "COUNT", "1000", "STREAMS", stream, ">"])
            }
            #expect(try await sum(redis, { ["XPENDING", $0, "g"] }, over: events) == 200)
            let claimed = Seen()
            let claimer = try PartitionedStreamConsumer(
                client: redis, partitions: events,
                configuration: StreamConsumerConfiguration(
                    stream: names.events, group: "g", consumer: "c2", blockMilliseconds: 100,
                    claimIdleMilliseconds: 300, claimIntervalMilliseconds: 100),
                handler: Handler(seen: claimed), logger: logger)
            let claiming = Task { try await claimer.run() }
            let claimDeadline = ContinuousClock.now + .seconds(30)
            while ContinuousClock.now < claimDeadline {
                pending = try await sum(redis, { ["XPENDING", $0, "g"] }, over: events)
                if pending == 0, claimed.count >= 200 { break }
                try await Task.sleep(for: .milliseconds(50))
            }
            claiming.cancel()
            _ = try? await claiming.value
            #expect(pending == 0)
            #expect(Set(claimed.value.withLock { $0.map(\.id) }).count == 200, "the killed consumer's entries are claimed")

            let trimmer = StreamTrimmer(client: redis, streams: partitions + events, logger: logger)
            var trimmed = 0
            for stream in partitions + events { trimmed += try await trimmer.trimOnce(stream: stream) }
            #expect(trimmed > 0, "acknowledged entries are trimmed in the partitions")
        } catch {
            await redis.shutdown()
            await cluster.cleanup()
            throw error
        }
        await redis.shutdown()
        await cluster.cleanup()
    }

    @Test func movingPartitionSlotsUnderLoadLosesAndDuplicatesNothing() async throws {
        let cluster = try await ClusterTestServer()
        let redis = RedisClient(configuration: try cluster.configuration, poolSize: 3, logger: logger)
        do {
            let names = try StreamNames(prefix: "{mov\(UInt32.random(in: 0...UInt32.max))}", partitions: 6)
            let partitions = names.partitions(of: .inbound)
            for stream in partitions { try await StreamGroups.create(stream: stream, group: "g", redis: redis) }
            let seen = Seen()
            let consumer = try PartitionedStreamConsumer(
                client: redis, partitions: partitions,
                configuration: StreamConsumerConfiguration(
                    stream: names.inbound, group: "g", consumer: "c1", batchSize: 50, blockMilliseconds: 100,
                    claimIdleMilliseconds: 30_000, claimIntervalMilliseconds: 1_000),
                handler: Handler(seen: seen), logger: logger)
            let running = Task { try await consumer.run() }
            let total = 6_000
            let producing = Task { [redis] in
                let producer = StreamProducer(
                    client: redis, pipelineDepth: 50, retryWindow: .seconds(10), router: StreamPartitionCheck.router(names))
                var next = 0
                while next < total {
                    let batch = (next..<min(next + 50, total)).map {
                        (names.inbound, Self.envelope(id: "m\($0)", session: "u-\($0 % 60)", seq: $0 / 60 + 1))
                    }
                    _ = try await producer.addBatch(batch)
                    next += batch.count
                    try await Task.sleep(for: .milliseconds(5))
                }
            }
            // Move every partition's slot to another master while producing and consuming.
            let ports = cluster.nodes.map(\.port)
            try await Task.sleep(for: .milliseconds(300))
            for stream in partitions {
                let slot = ClusterKeySlot.slot(of: stream)
                let owner = try await cluster.owner(of: slot)
                let target = ports[(ports.firstIndex(of: owner)! + 1) % ports.count]
                try await cluster.moveSlot(slot, to: target)
                try await Task.sleep(for: .milliseconds(100))
            }
            try await producing.value
            let deadline = ContinuousClock.now + .seconds(60)
            var pending = -1
            while ContinuousClock.now < deadline {
                pending = try await sum(redis, { ["XPENDING", $0, "g"] }, over: partitions)
                if seen.count >= total, pending == 0 { break }
                try await Task.sleep(for: .milliseconds(100))
            }
            running.cancel()
            _ = try? await running.value

            let ids = seen.value.withLock { $0.map(\.id) }
            #expect(Set(ids) == Set((0..<total).map { "m\($0)" }), "nothing lost")
            #expect(ids.count == total, "nothing handled twice: \(ids.count - Set(ids).count) repeats")
            #expect(try await sum(redis, { ["XLEN", $0] }, over: partitions) == total, "nothing written twice")
            #expect(pending == 0)
            var movedTo: [Int] = []
            for stream in partitions { movedTo.append(try await cluster.owner(of: ClusterKeySlot.slot(of: stream))) }
            #expect(movedTo != [], "partitions now live on: \(movedTo)")
        } catch {
            await redis.shutdown()
            await cluster.cleanup()
            throw error
        }
        await redis.shutdown()
        await cluster.cleanup()
    }
}

import Foundation
import KefuModel
import Logging
import Postgres
import Redis
import Synchronization
import Testing
import TestSupport

/// Issue 16's Sentinel proof with the real services: one primary, two replicas and three sentinels;
/// `kefu-routing` and `kefu-store` on `redis+sentinel://` with `KEFU_REDIS_WAIT_REPLICAS=1`; a connector
/// writes visitor messages at about 1,000 per second (`XADD` then `WAIT 1` on the same connection, as
/// docs/operations.md advises) and the primary is killed with SIGKILL halfway. The services must follow
/// the new primary by themselves, and every message the connector saw acknowledged by a replica must be
/// stored exactly once; what was acknowledged only by the dead primary is counted (the loss window).
@Suite(.serialized) struct SentinelServicesFailoverTests {
    static let ratePerSecond = 1_000
    static let seconds = 8
    static let visitors = 400

    /// What the connector knows of each message it wrote.
    final class Ledger: Sendable {
        struct State {
            var replicated: Set<String> = []
            var primaryOnly: Set<String> = []
            var retried = 0
            var firstAckAfterKill: ContinuousClock.Instant?
            /// The first message acknowledged after the kill (written to the new primary).
            var firstAfterKill: String?
        }
        let state = Mutex(State())
        let killedAt = Mutex<ContinuousClock.Instant?>(nil)
    }

    @Test(.timeLimit(.minutes(5))) func servicesFollowAKilledPrimaryAndLoseNothingReplicated() async throws {
        let cluster = try await SentinelTestCluster(replicaCount: 2)
        defer { Task { await cluster.cleanup() } }
        let database = try await PostgresTestServer.shared().makeDatabase(prefix: "sentinel_services")
        let prefix = "s\(UInt32.random(in: 0...UInt32.max))"
        var processes: [TestProcess] = []
        var ports: [Int] = []
        for service in ["routing", "store"] {
            let port = HTTPProbe.freePort()
            ports.append(port)
            processes.append(try TestProcess(executable: TestProcess.product("kefu-\(service)"), environment: [
                "REDIS_URL": cluster.url, "DATABASE_URL": database, "HTTP_PORT": "\(port)", "KEFU_STREAM_PREFIX": prefix,
                "KEFU_INSTANCE": "\(service)-sentinel", "KEFU_STREAM_BLOCK_MS": "200", "KEFU_STREAM_CLAIM_IDLE_MS": "3000",
                "KEFU_REDIS_WAIT_REPLICAS": "1", "KEFU_REDIS_WAIT_TIMEOUT_MS": "500", "LOG_LEVEL": "warning",
            ]))
        }
        defer { processes.forEach { $0.terminate() } }
        for (index, port) in ports.enumerated() {
            let ready = try await HTTPProbe.waitFor("http://127.0.0.1:\(port)/ready", timeout: .seconds(60))
            #expect(ready != nil, "service \(index) not ready: \(processes[index].output())")
        }
        let partitions = ProcessInfo.processInfo.environment["KEFU_STREAM_PARTITIONS"].flatMap(Int.init) ?? 1
        let names = try StreamNames(prefix: prefix, partitions: partitions)
        let redis = RedisClient(configuration: try RedisConfiguration(url: cluster.url), poolSize: 2, logger: Logger(label: "connector"))
        let postgres = PostgresClient(configuration: try PostgresConfiguration(url: database), logger: Logger(label: "test"))
        let ledger = Ledger()

        // The connector: every 10 ms a pipeline of XADDs ending with WAIT 1 100; what fails is written again
        // (same bytes, same client_message_id) until it is acknowledged.
        let perTick = Self.ratePerSecond / 100
        let total = Self.ratePerSecond * Self.seconds
        let connector = Task {
            var pending: [(String, [UInt8])] = []
            var next = 0
            var tick = ContinuousClock.now
            while next < total || !pending.isEmpty {
                while next < total && pending.count < perTick * 4 {
                    let visitor = "v-\(next % Self.visitors)"
                    let id = "m-\(next)"
                    let bytes = try EnvelopeCodec.encode(EventEnvelope(source: "connector", data: VisitorMessage(
                        channel: "web-pc", visitorID: visitor, clientMessageID: id, content: .text("第\(next)条"))))
                    pending.append((id, bytes))
                    next += 1
                    if pending.count >= perTick { break }
                }
                let batch = pending
                let commands: [[[UInt8]]] = batch.map { message in
                    [Array("XADD".utf8), Array(names.partition(of: names.inbound, envelope: message.1).utf8), Array("*".utf8),
                     Array("event".utf8), message.1]
                } + [[Array("WAIT".utf8), Array("1".utf8), Array("100".utf8)]]
                if let replies = try? await redis.pipeline(commands), replies.count == commands.count,
                   replies.dropLast().allSatisfy({ $0.string != nil }) {
                    let replicated = (replies.last?.int ?? 0) >= 1
                    let killed = ledger.killedAt.withLock { $0 } != nil
                    ledger.state.withLock { state in
                        for message in batch {
                            if replicated { state.replicated.insert(message.0) } else { state.primaryOnly.insert(message.0) }
                        }
                        if killed && state.firstAckAfterKill == nil {
                            state.firstAckAfterKill = .now
                            state.firstAfterKill = batch.first?.0
                        }
                    }
                    pending.removeAll()
                } else {
                    ledger.state.withLock { $0.retried += batch.count }
                }
                tick = tick + .milliseconds(10)
                let now = ContinuousClock.now
                if tick > now { try await Task.sleep(until: tick) } else { tick = now }
            }
        }

        try await Task.sleep(for: .seconds(Self.seconds / 2))
        let oldPrimary = cluster.primary.port
        let killedAt = ContinuousClock.now
        ledger.killedAt.withLock { $0 = killedAt }
        let killedWall = Date()
        await cluster.primary.stop(kill: true)
        let newPrimary = try await cluster.waitForFailover(from: oldPrimary)
        let promoted = ContinuousClock.now - killedAt
        try await connector.value

        let (replicated, primaryOnly, retried, firstAck, firstAfterKill) = ledger.state.withLock {
            ($0.replicated, $0.primaryOnly, $0.retried, $0.firstAckAfterKill, $0.firstAfterKill)
        }
        // Every message a replica acknowledged (or that the new primary took) is stored once.
        let deadline = ContinuousClock.now + .seconds(90)
        var stored: [String: Int] = [:]
        while ContinuousClock.now < deadline {
            let rows = try await postgres.query(
                """
                SELECT data->>'client_message_id', count(*) FROM store.events
                WHERE type = 'message.accepted' AND sender = 'visitor' GROUP BY 1
                """)
            stored = try Dictionary(uniqueKeysWithValues: rows.map { (try $0.decode(String.self, at: 0), try $0.decode(Int.self, at: 1)) })
            if replicated.isSubset(of: Set(stored.keys)) { break }
            try await Task.sleep(for: .milliseconds(500))
        }
        let missing = replicated.subtracting(stored.keys)
        let duplicated = stored.filter { $0.value > 1 }
        let lostUnreplicated = primaryOnly.subtracting(stored.keys)
        // Routing applied the first message written to the new primary within 10 s of the kill.
        let firstAppliedAfterKill = try await postgres.query(
            "SELECT min(time) FROM store.events WHERE type = 'message.accepted' AND data->>'client_message_id' = $1",
            [firstAfterKill ?? "-"]
        ).first?.decode(Date?.self, at: 0)
        let followed = firstAppliedAfterKill.map { $0.timeIntervalSince(killedWall) }
        print("""
            sentinel failover under \(Self.ratePerSecond) msg/s: \(total) messages, \(replicated.count) acknowledged by a replica, \
            \(primaryOnly.count) by the primary only (\(lostUnreplicated.count) of them lost), \(retried) writes retried; \
            new primary \(newPrimary) after \(promoted); connector's first acknowledged write \(firstAck.map { "\($0 - killedAt)" } ?? "-") \
            after the kill; services applied a message \(followed.map { String(format: "%.2f s", $0) } ?? "never") after it; \
            stored \(stored.count), missing \(missing.count), duplicated \(duplicated.count)
            """)
        #expect(replicated.count + primaryOnly.count == total, "the connector could not write everything")
        #expect(missing.isEmpty, "replicated but never stored: \(missing.sorted().prefix(10))")
        #expect(duplicated.isEmpty, "stored twice: \(duplicated.keys.sorted().prefix(10))")
        #expect((followed ?? 99) < 10, "the services did not follow the new primary within 10 s")
        for process in processes { process.send(SIGTERM) }
        for process in processes { #expect(await process.waitForExit(timeout: .seconds(30)) == 0, "\(process.output().suffix(2000))") }
        await redis.shutdown()
        try await postgres.shutdown()
    }
}

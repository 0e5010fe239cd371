import Foundation
import KefuModel
import Postgres
import Redis
import RedisStreams
import Testing
import TestSupport

/// The real `kefu-store` process against real Redis and PostgreSQL: killed with SIGKILL in the middle
/// of a 10,000-message burst and restarted, it stores each message exactly once; it answers queries on
/// its request stream; its retention purge runs beside the consumers.
@Suite(.serialized)
struct StoreProcessTests {
    struct Running {
        let process: TestProcess
        let port: Int
    }

    static func launch(redis: String, database: String, prefix: String, instance: String,
                       _ extra: [String: String] = [:]) async throws -> Running {
        let port = HTTPProbe.freePort()
        var environment = [
            "REDIS_URL": redis, "DATABASE_URL": database, "HTTP_PORT": "\(port)", "KEFU_STREAM_PREFIX": prefix,
            "KEFU_INSTANCE": instance, "KEFU_STREAM_BLOCK_MS": "200", "KEFU_STREAM_BATCH_SIZE": "100",
        ]
        environment.merge(extra) { _, new in new }
        let process = try TestProcess(executable: TestProcess.product("kefu-store"), environment: environment)
        let ready = try await HTTPProbe.waitFor("http://127.0.0.1:\(port)/ready", timeout: .seconds(60))
        try #require(ready != nil, "kefu-store not ready: \(process.output())")
        return Running(process: process, port: port)
    }

    /// `sessions` × `perSession` message.accepted events with seqs 1…perSession, interleaved across
    /// sessions as routing would write them.
    static func burst(sessions: [SessionID], perSession: Int) throws -> [StreamFields] {
        var entries: [StreamFields] = []
        entries.reserveCapacity(sessions.count * perSession)
        for seq in 1...perSession {
            for (index, session) in sessions.enumerated() {
                let envelope = StoreHarness.message(session, seq: seq, text: "第 \(seq) 条", visitor: "v-\(index)")
                entries.append([(name: "event", value: try EnvelopeCodec.encode(envelope))])
            }
        }
        return entries
    }

    /// The stream names of a store started by these tests: it inherits `KEFU_STREAM_PARTITIONS`
    /// (`KEFU_TEST_STREAM_PARTITIONS=4 scripts/test`).
    static func names(_ prefix: String) throws -> StreamNames {
        try StreamNames(prefix: prefix, partitions: ProcessInfo.processInfo.environment["KEFU_STREAM_PARTITIONS"].flatMap(Int.init) ?? 1)
    }

    /// A producer writing each entry to its partition, as the services do.
    static func producer(_ redis: RedisClient, prefix: String) throws -> StreamProducer {
        let names = try names(prefix)
        return StreamProducer(client: redis, router: { stream, fields in names.partition(of: stream, envelope: fields.first?.value ?? []) })
    }

    /// Entries read but not acknowledged by the store's group, over every partition of `stream`.
    static func pending(_ redis: RedisClient, prefix: String, stream: String) async throws -> Int64 {
        var total: Int64 = 0
        for partition in try names(prefix).partitions(of: stream) {
            total += try await redis.send(["XPENDING", partition, "store"]).array?.first?.int ?? 0
        }
        return total
    }

    @Test func killedDuringABurstItStoresEachMessageExactlyOnce() async throws {
        let redisServer = try await RedisTestServer.shared()
        let database = try await PostgresTestServer.shared().makeDatabase(prefix: "store_kill")
        let prefix = "kill\(UInt32.random(in: 0...UInt32.max))"
        let redis = RedisClient(configuration: try redisServer.configuration, logger: StoreHarness.logger)
        let postgres = PostgresClient(configuration: try PostgresConfiguration(url: database), logger: StoreHarness.logger)
        let stream = "\(prefix):events"
        var store = try await Self.launch(redis: redisServer.url, database: database, prefix: prefix, instance: "store-k")
        defer { store.process.terminate() }

        let sessions = (0..<250).map { _ in SessionID.random() }
        let entries = try Self.burst(sessions: sessions, perSession: 40)
        #expect(entries.count == 10_000)
        let producer = try Self.producer(redis, prefix: prefix)
        let feeding = Task {
            for start in stride(from: 0, to: entries.count, by: 250) {
                _ = try await producer.addBatch(stream: stream, entries: Array(entries[start..<min(start + 250, entries.count)]))
                try await Task.sleep(for: .milliseconds(25))
            }
        }
        func stored() async -> Int {
            (try? await postgres.query("SELECT count(*) FROM store.events"))?.first.flatMap { try? $0.decode(Int.self, at: 0) } ?? 0
        }
        let killDeadline = ContinuousClock.now + .seconds(60)
        while await stored() < 2_500, ContinuousClock.now < killDeadline {
            try #require(store.process.process.isRunning, "kefu-store exited: \(store.process.output())")
            try await Task.sleep(for: .milliseconds(10))
        }
        store.process.send(SIGKILL)
        _ = await store.process.waitForExit(timeout: .seconds(10))
        let storedAtKill = await stored()
        let pendingAtKill = try await Self.pending(redis, prefix: prefix, stream: stream)
        try await feeding.value
        #expect(storedAtKill >= 2_500 && storedAtKill < 10_000, "the kill must land mid-burst: \(storedAtKill) stored")
        print("store kill test: killed with \(storedAtKill) of 10000 stored, \(pendingAtKill) entries pending")

        store = try await Self.launch(redis: redisServer.url, database: database, prefix: prefix, instance: "store-k")
        let deadline = ContinuousClock.now + .seconds(120)
        var pending: Int64 = -1
        while ContinuousClock.now < deadline {
            pending = try await Self.pending(redis, prefix: prefix, stream: stream)
            if pending == 0, await stored() == 10_000 { break }
            try await Task.sleep(for: .milliseconds(100))
        }
        #expect(pending == 0, "pending entries left: \(pending)")

        func count(_ sql: String) async throws -> Int {
            try await postgres.query(sql)[0].decode(Int.self, at: 0)
        }
        #expect(try await count("SELECT count(*) FROM store.events") == 10_000)
        #expect(try await count("SELECT count(DISTINCT event_id) FROM store.events") == 10_000)
        #expect(try await count(
            """
            SELECT count(*) FROM (SELECT session_id FROM store.events GROUP BY session_id
                                  HAVING count(*) = 40 AND min(seq) = 1 AND max(seq) = 40) AS complete
            """) == 250, "every session has seqs 1…40, no gap, no duplicate")
        #expect(try await count("SELECT count(*) FROM store.sessions WHERE message_count = 40 AND last_seq = 40") == 250,
                "session counters were not incremented twice by redelivered batches")
        #expect(try await count("SELECT count(*) FROM store.sessions") == 250)

        let reply = try await Self.ask(
            redis: redis, prefix: prefix, name: "history.page", actor: Actor(role: .visitor, channel: "web", visitorID: "v-7"),
            params: ["session_id": .string(sessions[7].description), "after_seq": .integer(30)])
        #expect(reply.ok, "\(reply)")
        #expect(reply.result?["items"]?.arrayValue?.compactMap { $0["seq"]?.intValue } == Array(31...40))
        #expect(reply.result?["last_seq"]?.intValue == 40)

        store.process.send(SIGTERM)
        #expect(await store.process.waitForExit(timeout: .seconds(20)) == 0, "\(store.process.output())")
        await redis.shutdown()
        try await postgres.shutdown()
    }

    @Test func theRetentionPurgeRunsBesideTheConsumers() async throws {
        let redisServer = try await RedisTestServer.shared()
        let database = try await PostgresTestServer.shared().makeDatabase(prefix: "store_retention")
        let prefix = "retention\(UInt32.random(in: 0...UInt32.max))"
        let redis = RedisClient(configuration: try redisServer.configuration, logger: StoreHarness.logger)
        let postgres = PostgresClient(configuration: try PostgresConfiguration(url: database), logger: StoreHarness.logger)
        let store = try await Self.launch(
            redis: redisServer.url, database: database, prefix: prefix, instance: "store-r",
            ["KEFU_STORE_RETENTION_DAYS": "1", "KEFU_STORE_PURGE_INTERVAL_MS": "200"])
        defer { store.process.terminate() }

        let longAgo = Timestamp(rfc3339: "2020-01-01T00:00:00.000Z")!
        let old = SessionID.random()
        let recent = SessionID.random()
        let events: [any AnyEventEnvelope] = [
            StoreHarness.created(old, time: longAgo), StoreHarness.message(old, seq: 2, time: longAgo),
            StoreHarness.ended(old, seq: 3, human: false, time: longAgo),
            StoreHarness.created(recent, time: .now()), StoreHarness.ended(recent, seq: 2, human: false, time: .now()),
        ]
        _ = try await Self.producer(redis, prefix: prefix).addBatch(
            stream: "\(prefix):events", entries: try events.map { [(name: "event", value: try $0.encodedEntry())] })

        let deadline = ContinuousClock.now + .seconds(30)
        var sessions: [String] = []
        var recentEvents = 0
        var oldEvents = -1
        // With partitioned streams the two sessions' events may be applied in either order: wait for the purge.
        while ContinuousClock.now < deadline {
            sessions = try await postgres.query("SELECT session_id::text FROM store.sessions").map { try $0.decode(String.self, at: 0) }
            recentEvents = try await postgres.query("SELECT count(*) FROM store.events WHERE session_id = $1", [recent.uuid])[0]
                .decode(Int.self, at: 0)
            oldEvents = try await postgres.query("SELECT count(*) FROM store.events WHERE session_id = $1", [old.uuid])[0].decode(Int.self, at: 0)
            let purged = store.process.output().contains("retention purge deleted ended sessions")
            if sessions == [recent.description], recentEvents == 2, oldEvents == 0, purged { break }
            try await Task.sleep(for: .milliseconds(100))
        }
        #expect(sessions == [recent.description], "the old session is purged, the recent one kept")
        #expect(recentEvents == 2)
        #expect(oldEvents == 0)
        #expect(store.process.output().contains("retention purge deleted ended sessions"))
        store.process.send(SIGTERM)
        #expect(await store.process.waitForExit(timeout: .seconds(20)) == 0)
        await redis.shutdown()
        try await postgres.shutdown()
    }

    @Test func badStoreSettingsExitWithOneLineNamingTheVariable() async throws {
        let process = try TestProcess(
            executable: TestProcess.product("kefu-store"),
            environment: [
                "REDIS_URL": "redis://127.0.0.1:1/0", "DATABASE_URL": "postgres://kefu@127.0.0.1:1/kefu",
                "KEFU_STORE_RETENTION_DAYS": "forever",
            ])
        defer { process.terminate() }
        #expect(await process.waitForExit(timeout: .seconds(10)) == 2)
        let output = process.output().trimmingCharacters(in: .whitespacesAndNewlines)
        #expect(output.split(separator: "\n").count == 1)
        #expect(output.contains("KEFU_STORE_RETENTION_DAYS"), "\(output)")
    }

    /// Sends a `query.request` to the store's request stream and waits for the reply.
    static func ask(redis: RedisClient, prefix: String, name: String, actor: Actor, params: [String: JSONValue]) async throws -> ReplyResult {
        let replies = "\(prefix):replies:test"
        let request = EventEnvelope(
            source: "gateway-test", replyTo: replies,
            expiresAt: Timestamp(millisecondsSince1970: Timestamp.now().millisecondsSince1970 + 10_000),
            data: QueryRequest(name: name, actor: actor, params: .object(params)))
        _ = try await producer(redis, prefix: prefix).add(
            stream: "\(prefix):requests:store", fields: [(name: "event", value: try EnvelopeCodec.encode(request))])
        let deadline = ContinuousClock.now + .seconds(10)
        while ContinuousClock.now < deadline {
            let entries = try await redis.send(["XRANGE", replies, "-", "+"]).array ?? []
            for entry in entries {
                let value = entry.array?[1].array?[1].bytes ?? []
                let reply = try EnvelopeCodec.decode(value, as: ReplyResult.self)
                if reply.correlationID == request.id { return reply.data }
            }
            try await Task.sleep(for: .milliseconds(50))
        }
        throw StoreProcessTestError.noReply(name)
    }

    enum StoreProcessTestError: Error { case noReply(String) }
}

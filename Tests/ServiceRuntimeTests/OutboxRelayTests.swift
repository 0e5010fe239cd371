import Foundation
import KefuModel
import Logging
import Postgres
import Redis
import RedisStreams
import Testing
import TestSupport
@testable import ServiceRuntime

/// The outbox publishes exactly what committed, in order, once: the committer right after the commit, the
/// relay whatever a committer left (released, or its claim expired); expired claims are published again.
@Suite struct OutboxRelayTests {
    struct Fixture {
        let postgres: PostgresClient
        let redis: RedisClient
        let stream: String
        let outbox = Outbox(schema: "outboxtest")

        func relay() -> OutboxRelay {
            OutboxRelay(
                schema: "outboxtest", postgres: postgres, producer: StreamProducer(client: redis),
                readiness: nil, logger: Logger(label: "test"))
        }

        func streamTexts() async throws -> [String] {
            let entries = try await redis.send(["XRANGE", stream, "-", "+"]).array ?? []
            return try entries.map { entry in
                let fields = entry.array?.last?.array ?? []
                guard let bytes = fields.last?.bytes else { return "" }
                return try EnvelopeCodec.decode(bytes, as: VisitorMessage.self).data.content.text ?? ""
            }
        }

        func publisher(_ client: RedisClient? = nil, wake: WakeSignal = WakeSignal()) -> OutboxPublisher {
            OutboxPublisher(
                postgres: postgres, producer: StreamProducer(client: client ?? redis), wake: wake, logger: Logger(label: "test"))
        }

        /// Writes one visitor message per text to the outbox in one transaction, without a publisher.
        func enqueue(_ texts: [String]) async throws {
            try await postgres.transaction { connection in
                for text in texts { try outbox.enqueue(OutboxRelayTests.message(text), to: stream, on: connection) }
            }
        }

        /// What a committer that died before publishing leaves once its claim has run out.
        func expireWriterClaims() async throws {
            try await postgres.execute(
                "UPDATE outboxtest.outbox SET claimed_until = now() - interval '1 second' WHERE published_at IS NULL")
        }

        func unpublishedCount() async throws -> Int {
            try await postgres.query("SELECT count(*) FROM outboxtest.outbox WHERE published_at IS NULL")[0].decode(Int.self, at: 0)
        }

        func shutdown() async {
            await redis.shutdown()
            try? await postgres.shutdown()
        }
    }

    func fixture() async throws -> Fixture {
        let url = try await PostgresTestServer.shared().makeDatabase()
        let postgres = PostgresClient(configuration: try PostgresConfiguration(url: url), logger: Logger(label: "test"))
        try await Migrator(schema: "outboxtest", migrations: try RuntimeMigrations.runtime())
            .migrate(using: postgres, logger: Logger(label: "test"))
        let server = try await RedisTestServer.shared()
        let redis = RedisClient(configuration: try server.configuration, logger: Logger(label: "test"))
        return Fixture(postgres: postgres, redis: redis, stream: "outbox\(UInt32.random(in: 0...UInt32.max)):events")
    }

    static func message(_ text: String) -> EventEnvelope<VisitorMessage> {
        EventEnvelope(
            source: "test",
            data: VisitorMessage(channel: "web-pc", visitorID: "v1", clientMessageID: UUID().uuidString, content: .text(text)))
    }

    @Test func aWakeAfterCommitPublishesWithoutWaitingForThePoll() async throws {
        let fixture = try await fixture()
        defer { Task { await fixture.shutdown() } }
        let wake = WakeSignal()
        var relay = OutboxRelay(
            schema: "outboxtest", postgres: fixture.postgres, producer: StreamProducer(client: fixture.redis),
            readiness: nil, logger: Logger(label: "test"), wake: wake)
        relay.pollInterval = .seconds(30)
        let running = Task { try await relay.run() }
        defer { running.cancel() }
        try await Task.sleep(for: .milliseconds(300))

        let outbox = fixture.outbox
        let stream = fixture.stream
        try await fixture.postgres.transaction { try outbox.enqueue(Self.message("叫醒"), to: stream, on: $0) }
        try await fixture.postgres.execute("UPDATE outboxtest.outbox SET claimed_until = NULL")
        let started = ContinuousClock.now
        wake.notify()
        while try await fixture.streamTexts().isEmpty, ContinuousClock.now - started < .seconds(10) {
            try await Task.sleep(for: .milliseconds(10))
        }
        let elapsed = ContinuousClock.now - started
        #expect(try await fixture.streamTexts() == ["叫醒"])
        #expect(elapsed < .seconds(5), "published after \(elapsed), not at the 30 s poll")

        try await fixture.postgres.transaction { try outbox.enqueue(Self.message("不叫"), to: stream, on: $0) }
        try await fixture.postgres.execute("UPDATE outboxtest.outbox SET claimed_until = NULL WHERE published_at IS NULL")
        try await Task.sleep(for: .milliseconds(500))
        #expect(try await fixture.streamTexts() == ["叫醒"], "without a wake the relay keeps to its poll")
    }

    @Test func aWakeWhileTheRelayIsBusyIsRememberedAndCancellationEndsTheWait() async throws {
        let wake = WakeSignal()
        wake.notify()
        let started = ContinuousClock.now
        await wake.wait(upTo: .seconds(30))
        #expect(ContinuousClock.now - started < .seconds(1))
        let waiting = Task { await wake.wait(upTo: .seconds(30)) }
        try await Task.sleep(for: .milliseconds(100))
        waiting.cancel()
        let cancelledAt = ContinuousClock.now
        await waiting.value
        #expect(ContinuousClock.now - cancelledAt < .seconds(1))
    }

    @Test func publishesWhatCommittedInOrderAndOnce() async throws {
        let fixture = try await fixture()
        let outbox = fixture.outbox
        let stream = fixture.stream
        let first = Self.message("一")
        try await fixture.postgres.transaction { connection in
            try outbox.enqueue(first, to: stream, on: connection)
            try outbox.enqueue(Self.message("二"), to: stream, on: connection)
            try outbox.enqueue(first, to: stream, on: connection)
        }
        await #expect(throws: (any Error).self) {
            try await fixture.postgres.transaction { connection in
                try outbox.enqueue(Self.message("rolled back"), to: stream, on: connection)
                throw CancellationError()
            }
        }
        try await fixture.postgres.transaction { connection in
            try outbox.enqueue(Self.message("三"), to: stream, on: connection)
        }
        let relay = fixture.relay()
        #expect(try await relay.relayOnce() == 3, "a transaction without a publisher leaves its rows to the relay")
        #expect(try await relay.relayOnce() == 0)
        #expect(try await fixture.streamTexts() == ["一", "二", "三"])
        let unpublished = try await fixture.postgres.query("SELECT count(*) FROM outboxtest.outbox WHERE published_at IS NULL")
        #expect(try unpublished[0].decode(Int.self, at: 0) == 0)
        await fixture.shutdown()
    }

    @Test func anExpiredClaimIsPublishedAgainAndAFreshOneIsNot() async throws {
        let fixture = try await fixture()
        try await fixture.enqueue(["crashed relay", "busy relay"])
        try await fixture.postgres.execute("UPDATE outboxtest.outbox SET claimed_until = now() - interval '1 second' WHERE id = 1")
        try await fixture.postgres.execute("UPDATE outboxtest.outbox SET claimed_until = now() + interval '1 hour' WHERE id = 2")
        #expect(try await fixture.relay().relayOnce() == 1)
        #expect(try await fixture.streamTexts() == ["crashed relay"])
        await fixture.shutdown()
    }

    @Test func rowsNoReplicaAcknowledgedStayUntilThePatienceRunsOut() async throws {
        let fixture = try await fixture()
        try await fixture.enqueue(["old", "new"])
        try await fixture.postgres.execute("UPDATE outboxtest.outbox SET created_at = now() - interval '2 minutes' WHERE id = 1")
        try await fixture.expireWriterClaims()
        // The shared test server has no replica: WAIT 1 is never satisfied.
        let relay = OutboxRelay(
            schema: "outboxtest", postgres: fixture.postgres,
            producer: StreamProducer(client: fixture.redis, replicaWait: ReplicaWait(replicas: 1, timeoutMilliseconds: 10)),
            readiness: nil, logger: Logger(label: "test"))
        await #expect(throws: StreamError.self) { try await relay.relayOnce() }
        #expect(try await fixture.streamTexts() == ["old", "new"], "written to the primary all the same")
        let left = try await fixture.postgres.query("SELECT id, claimed_until > now() FROM outboxtest.outbox ORDER BY id")
        #expect(try left.map { try $0.decode(Int.self, at: 0) } == [2], "the row older than the patience is given up, the new one kept")
        #expect(try left.first?.decode(Bool.self, at: 1) == true, "and it keeps its claim until it is published again")
        await fixture.shutdown()
    }

    @Test func concurrentRelaysShareTheWorkWithoutDuplicates() async throws {
        let fixture = try await fixture()
        try await fixture.enqueue((0..<1_000).map { "m\($0)" })
        try await fixture.expireWriterClaims()
        let relays = [fixture.relay(), fixture.relay(), fixture.relay()]
        try await withThrowingTaskGroup(of: Void.self) { group in
            for relay in relays {
                group.addTask { while try await relay.relayOnce() > 0 {} }
            }
            try await group.waitForAll()
        }
        let texts = try await fixture.streamTexts()
        #expect(texts.count == 1_000)
        #expect(Set(texts).count == 1_000)
        await fixture.shutdown()
    }

    @Test func publishedRowsAreDeletedAndPurgeRemovesOnlyOldRows() async throws {
        let fixture = try await fixture()
        let outbox = fixture.outbox
        let stream = fixture.stream
        try await fixture.postgres.transaction { connection in
            try outbox.enqueue(Self.message("relayed"), to: stream, on: connection)
            try connection.execute(
                "INSERT INTO outboxtest.processed_events (consumer_group, event_id, processed_at) VALUES ('g', $1, now() - interval '30 days'), ('g', $2, now())",
                [UUID(), UUID()])
            // Rows that an earlier version marked published instead of deleting them.
            try connection.execute(
                """
                INSERT INTO outboxtest.outbox (stream, event_id, payload, published_at)
                VALUES ('legacy', $1, '\\x00', now() - interval '30 days'), ('legacy', $2, '\\x00', now())
                """,
                [UUID(), UUID()])
        }
        var relay = fixture.relay()
        #expect(try await relay.relayOnce() == 1)
        #expect(try await fixture.postgres.query("SELECT count(*) FROM outboxtest.outbox WHERE stream <> 'legacy'")[0]
            .decode(Int.self, at: 0) == 0, "the relay deletes what it published")
        relay.retention = .seconds(24 * 3600)
        try await relay.purge()
        let outboxLeft = try await fixture.postgres.query("SELECT count(*) FROM outboxtest.outbox")
        let processedLeft = try await fixture.postgres.query("SELECT count(*) FROM outboxtest.processed_events")
        #expect(try outboxLeft[0].decode(Int.self, at: 0) == 1)
        #expect(try processedLeft[0].decode(Int.self, at: 0) == 1)
        await fixture.shutdown()
    }

    @Test func theCommitterPublishesRightAfterTheCommitAndDeletesTheRows() async throws {
        let fixture = try await fixture()
        let outbox = fixture.outbox
        let stream = fixture.stream
        let started = ContinuousClock.now
        try await fixture.publisher().transaction { connection in
            try outbox.enqueue(Self.message("一"), to: stream, on: connection)
            try outbox.enqueue(Self.message("二"), to: stream, on: connection)
        }
        #expect(try await fixture.streamTexts() == ["一", "二"])
        #expect(ContinuousClock.now - started < .seconds(1))
        #expect(try await fixture.postgres.query("SELECT count(*) FROM outboxtest.outbox")[0].decode(Int.self, at: 0) == 0)
        #expect(try await fixture.relay().relayOnce() == 0, "nothing left for the relay")
        await fixture.shutdown()
    }

    /// A committer's rows are written by one statement before COMMIT; what handlers gathered after a
    /// savepoint that is rolled back (sent or still lazy) is dropped with it, the order is kept, and an id
    /// gathered twice is published once.
    @Test func gatheredRowsFollowSavepointsAndKeepTheirOrder() async throws {
        let fixture = try await fixture()
        let outbox = fixture.outbox
        let stream = fixture.stream
        let first = Self.message("一")
        let trips = try await fixture.postgres.transaction { connection in
            OutboxPublisher.Committer.mark(connection)
            let before = connection.roundTrips
            try outbox.enqueue(first, to: stream, on: connection)
            let lazy = connection.lazySavepoint("handler")
            try outbox.enqueue(Self.message("丢弃"), to: stream, on: connection)
            connection.rollback(to: lazy)
            let kept = connection.lazySavepoint("handler")
            try outbox.enqueue(Self.message("二"), to: stream, on: connection)
            _ = try connection.query("SELECT 1")
            connection.release(kept)
            let sent = connection.lazySavepoint("handler")
            _ = try connection.query("SELECT 1")
            try outbox.enqueue(Self.message("也丢弃"), to: stream, on: connection)
            connection.rollback(to: sent)
            try outbox.enqueue(first, to: stream, on: connection)
            for index in 0..<50 { try outbox.enqueue(Self.message("批\(index)"), to: stream, on: connection) }
            #expect(try connection.query("SELECT count(*) FROM outboxtest.outbox")[0].decode(Int.self, at: 0) == 0,
                    "nothing is written before COMMIT")
            return connection.roundTrips - before
        }
        #expect(trips == 3)
        let rows = try await fixture.postgres.query("SELECT convert_from(payload, 'UTF8') FROM outboxtest.outbox ORDER BY id")
        let texts = try rows.map { row -> String in
            let envelope = try EnvelopeCodec.decode(Array(try row.decode(String.self, at: 0).utf8), as: VisitorMessage.self)
            return envelope.data.content.text ?? ""
        }
        #expect(texts == ["一", "二"] + (0..<50).map { "批\($0)" })
        await fixture.shutdown()
    }

    @Test func rowsThatCouldNotBePublishedAreReleasedAtOnce() async throws {
        let fixture = try await fixture()
        let outbox = fixture.outbox
        let stream = fixture.stream
        let deadRedis = RedisClient(configuration: try RedisConfiguration(url: "redis://127.0.0.1:1/0"), logger: Logger(label: "test"))
        let wake = WakeSignal()
        try await fixture.publisher(deadRedis, wake: wake).transaction { connection in
            try outbox.enqueue(Self.message("稍后"), to: stream, on: connection)
        }
        #expect(try await fixture.streamTexts().isEmpty)
        await wake.wait(upTo: .seconds(5))
        #expect(try await fixture.relay().relayOnce() == 1, "released to the relay without waiting for the claim")
        #expect(try await fixture.streamTexts() == ["稍后"])

        try await fixture.enqueue(["中断"])
        try await fixture.expireWriterClaims()
        let failing = OutboxRelay(
            schema: "outboxtest", postgres: fixture.postgres, producer: StreamProducer(client: deadRedis),
            readiness: nil, logger: Logger(label: "test"))
        await #expect(throws: (any Error).self) { try await failing.relayOnce() }
        #expect(try await fixture.relay().relayOnce() == 1, "a relay that failed to publish released its claim")
        #expect(try await fixture.streamTexts() == ["稍后", "中断"])
        await deadRedis.shutdown()
        await fixture.shutdown()
    }

    @Test func rowsOfACommitterThatDiedArePublishedWhenItsClaimRunsOut() async throws {
        let fixture = try await fixture()
        let outbox = fixture.outbox
        let stream = fixture.stream
        try await fixture.postgres.transaction { connection in
            OutboxPublisher.Committer.mark(connection)
            try outbox.enqueue(Self.message("遗留"), to: stream, on: connection)
        }
        let relay = fixture.relay()
        #expect(try await relay.relayOnce() == 0, "the committer's claim holds")
        let started = ContinuousClock.now
        while try await relay.relayOnce() == 0, ContinuousClock.now - started < .seconds(10) {
            try await Task.sleep(for: .milliseconds(50))
        }
        let elapsed = ContinuousClock.now - started
        #expect(try await fixture.streamTexts() == ["遗留"])
        #expect(elapsed >= .seconds(Outbox.writerClaimSeconds) - .milliseconds(200), "the writer's claim held")
        #expect(elapsed < .seconds(Outbox.writerClaimSeconds) + .milliseconds(800), "published \(elapsed) after the commit")
        await fixture.shutdown()
    }
}

import Foundation
import KefuModel
import Logging
import Metrics
import Postgres
import RedisStreams
import ServiceLifecycle

/// The outbox's crash fallback: the committing code publishes its own rows (``OutboxPublisher``); the relay
/// publishes what nobody did — rows whose writer's claim ran out (the writer died or could not reach Redis)
/// and rows a publisher released. It claims unpublished rows in id order (`FOR UPDATE SKIP LOCKED`, so
/// instances share the work), `XADD`s them, then deletes them. A claim lasts `claimDuration`; a
/// round that fails to publish releases its claim at once, and so does a stopping relay, so no committed
/// row waits for a claim to expire after Redis or PostgreSQL is back. Rows of a relay that died mid-way are
/// published again once its claim expires (at-least-once).
///
/// Also the runtime's janitor: every `purgeInterval` it deletes processed event ids older than `retention`
/// (and outbox rows marked published by versions that kept them).
public struct OutboxRelay: Service {
    /// The schema holding the outbox.
    public let schema: String
    let postgres: PostgresClient
    let producer: StreamProducer
    let readiness: Readiness?
    let logger: Logger
    let wake: WakeSignal?
    /// Rows claimed per round.
    public var batchSize = 100
    /// Pause after a round that found less than a full batch (cut short by a wake).
    public var pollInterval: Duration = .milliseconds(250)
    /// How long a claim holds before another relay may publish the rows.
    public var claimDuration: Duration = .seconds(5)
    /// How long processed event ids (the inbox) are kept.
    public var retention: Duration = .seconds(7 * 24 * 3600)
    /// How often old rows are purged.
    public var purgeInterval: Duration = .seconds(600)
    /// How long rows wait for a replica to acknowledge their events (`KEFU_REDIS_WAIT_REPLICAS`) before the
    /// relay deletes them anyway: a primary with no replica for that long cannot lose them to a failover,
    /// and republishing them for ever would flood the stream with repeats.
    public var replicationPatience: Duration = .seconds(60)
    private let published = Counter(label: "kefu_outbox_published_total", dimensions: [("by", "relay")])

    /// Creates a relay; when `readiness` is given it waits for migrations before starting; `wake` (the
    /// context's ``WakeSignal``) cuts the poll short when a publisher hands rows back.
    public init(
        schema: String, postgres: PostgresClient, producer: StreamProducer, readiness: Readiness?, logger: Logger,
        wake: WakeSignal? = nil
    ) {
        self.schema = schema
        self.postgres = postgres
        self.producer = producer
        self.readiness = readiness
        self.logger = logger
        self.wake = wake
    }

    public func run() async throws {
        do {
            try await cancelWhenGracefulShutdown {
                if let readiness { try await readiness.wait(for: .migrations) }
                var nextPurge = ContinuousClock.now
                while true {
                    var full = false
                    do {
                        full = try await relayOnce() == batchSize
                        if ContinuousClock.now >= nextPurge {
                            nextPurge = ContinuousClock.now + purgeInterval
                            try await purge()
                        }
                    } catch let error as CancellationError {
                        throw error
                    } catch {
                        logger.warning("outbox relay round failed; retrying", metadata: ["error": "\(error)"])
                        try await Task.sleep(for: .seconds(1))
                    }
                    if !full {
                        if let wake {
                            await wake.wait(upTo: pollInterval)
                            try Task.checkCancellation()
                        } else {
                            try await Task.sleep(for: pollInterval)
                        }
                    }
                }
            }
        } catch is CancellationError {
            await drain()
        }
    }

    /// On graceful shutdown: publishes what the consumers enqueued while finishing their batches.
    private func drain() async {
        guard readiness?.isPassing(.migrations) ?? true else { return }
        for _ in 0..<10 {
            guard let count = try? await relayOnce(), count > 0 else { return }
        }
    }

    /// Publishes one batch; returns how many rows it published.
    @discardableResult
    public func relayOnce() async throws -> Int {
        let table = "\(schema).outbox"
        let limit = batchSize
        let claimSeconds = Double(claimDuration.components.seconds)
        let rows = try await postgres.transaction { connection in
            try connection.query(
                """
                UPDATE \(table) SET claimed_until = now() + make_interval(secs => $2)
                WHERE id IN (
                    SELECT id FROM \(table)
                    WHERE published_at IS NULL AND (claimed_until IS NULL OR claimed_until < now())
                    ORDER BY id LIMIT $1 FOR UPDATE SKIP LOCKED)
                RETURNING id, stream, payload
                """,
                [limit, claimSeconds]
            ).map { row in
                (id: try row.decode(Int64.self, at: 0), stream: try row.decode(String.self, at: 1), payload: try row.decode([UInt8].self, at: 2))
            }
        }
        guard !rows.isEmpty else { return 0 }
        let ordered = rows.sorted { $0.id < $1.id }
        let ids = "{" + ordered.map { String($0.id) }.joined(separator: ",") + "}"
        do {
            try await producer.addBatch(ordered.map {
                (stream: $0.stream, fields: [(name: StreamNames.entryField, value: $0.payload)])
            })
        } catch {
            // Written but not yet on enough replicas (StreamError.notReplicated): the rows keep their claim and
            // are published again when it runs out (to a new primary if this one died) instead of being deleted.
            if case StreamError.notReplicated = error {
                let patience = Double(replicationPatience.components.seconds)
                let abandoned = try? await postgres.query(
                    "DELETE FROM \(table) WHERE id = ANY($1::bigint[]) AND created_at < now() - make_interval(secs => $2) RETURNING id",
                    [ids, patience]).count
                if let abandoned, abandoned > 0 {
                    logger.warning("deleted outbox rows no replica acknowledged in time", metadata: ["rows": "\(abandoned)"])
                }
                throw error
            }
            try? await postgres.execute(
                "UPDATE \(table) SET claimed_until = NULL WHERE id = ANY($1::bigint[]) AND published_at IS NULL", [ids])
            throw error
        }
        try await postgres.execute("DELETE FROM \(table) WHERE id = ANY($1::bigint[])", [ids])
        published.increment(by: ordered.count)
        return ordered.count
    }

    /// Deletes processed event ids older than the retention, and outbox rows that earlier versions marked
    /// published instead of deleting them.
    public func purge() async throws {
        let seconds = Double(retention.components.seconds)
        let outbox = try await postgres.execute(
            "DELETE FROM \(schema).outbox WHERE published_at < now() - make_interval(secs => $1)", [seconds])
        let processed = try await postgres.execute(
            "DELETE FROM \(schema).processed_events WHERE processed_at < now() - make_interval(secs => $1)", [seconds])
        if outbox + processed > 0 {
            logger.info("purged old runtime rows", metadata: ["outbox": "\(outbox)", "processed_events": "\(processed)"])
        }
    }
}

import Foundation
import KefuModel
import Postgres

/// Records events for publication in the caller's PostgreSQL transaction, so a state change and the
/// events it causes commit together. Never "commit, then XADD, and hope".
///
/// The rows are written with the next round trip of the transaction (``PostgresConnection/queue(_:_:)``)
/// and noted on the connection. In a transaction run by an ``OutboxPublisher`` (every consumer batch) the
/// writer claims them for a short while and publishes them right after COMMIT; ``OutboxRelay`` publishes
/// whatever a crashed or failed publisher left, and the rows of transactions without a publisher.
public struct Outbox: Sendable {
    /// The schema holding the `outbox` table (the service's own).
    public let schema: String
    /// How long the writer's claim holds: after that the relay publishes rows the writer did not.
    public static let writerClaimSeconds = 5

    /// An outbox in `schema`.
    public init(schema: String) {
        self.schema = schema
    }

    /// Adds `envelope` to the outbox for `stream`, inside the transaction `connection` is in.
    /// A second enqueue of the same event id is ignored.
    public func enqueue<Payload: EventPayload>(
        _ envelope: EventEnvelope<Payload>, to stream: String, on connection: PostgresConnection
    ) throws {
        try enqueue([OutboxEntry(envelope, to: stream)], on: connection)
    }

    /// Adds many encoded events, inside the caller's transaction. Events whose id is already in the outbox
    /// are ignored.
    ///
    /// In a transaction whose committer publishes (``OutboxPublisher/Committer``, every consumer batch) the
    /// rows of every handler are gathered and written by one set-based `INSERT` just before COMMIT, claimed
    /// for the committer for ``writerClaimSeconds``; rows gathered after a savepoint that is rolled back are
    /// dropped with it. Elsewhere each row is queued as its own statement (whose text never changes, so the
    /// connection prepares it once), unclaimed, for the relay.
    public func enqueue(_ entries: [OutboxEntry], on connection: PostgresConnection) throws {
        if connection.transactionNotes.contains(where: { $0 is OutboxPublisher.Committer }) {
            PendingOutbox.on(connection, schema: schema).append(entries)
            return
        }
        for entry in entries {
            connection.queue(
                "INSERT INTO \(schema).outbox (stream, event_id, payload) VALUES ($1, $2::uuid, $3::bytea) ON CONFLICT (event_id) DO NOTHING",
                [entry.stream, entry.eventID, entry.payload])
        }
        connection.transactionNotes.append(OutboxNote(schema: schema, entries: entries))
    }

    /// What the transaction on `connection` enqueued so far, in order (for its committer to publish).
    public static func enqueued(on connection: PostgresConnection) -> [OutboxNote] {
        connection.transactionNotes.compactMap { note in
            if let pending = note as? PendingOutbox { return OutboxNote(schema: pending.schema, entries: pending.entries) }
            return note as? OutboxNote
        }
    }
}

/// The rows a committer's transaction gathered for one outbox, written by one statement before COMMIT.
final class PendingOutbox: PostgresTransactionParticipant, @unchecked Sendable {
    let schema: String
    private(set) var entries: [OutboxEntry] = []
    private var ids = Set<UUID>()
    private var marks = SavepointMarks()

    private init(schema: String) {
        self.schema = schema
    }

    /// The transaction's pending rows for `schema`, created on first use.
    static func on(_ connection: PostgresConnection, schema: String) -> PendingOutbox {
        for note in connection.transactionNotes {
            if let pending = note as? PendingOutbox, pending.schema == schema { return pending }
        }
        let pending = PendingOutbox(schema: schema)
        connection.transactionNotes.append(pending)
        return pending
    }

    /// Adds rows; an event id already gathered is not added twice.
    func append(_ more: [OutboxEntry]) {
        for entry in more where ids.insert(entry.eventID).inserted {
            entries.append(entry)
        }
    }

    func savepointMarked(_ name: String) {
        marks.mark(name, count: entries.count)
    }

    func rolledBack(to name: String) {
        let keep = min(marks.rollBack(to: name), entries.count)
        for entry in entries[keep...] { ids.remove(entry.eventID) }
        entries.removeSubrange(keep...)
    }

    func released(_ name: String) {
        marks.release(name)
    }

    /// One `INSERT … SELECT FROM unnest(…)` in the order gathered (the relay publishes by id).
    func beforeCommit(_ connection: PostgresConnection) throws {
        guard !entries.isEmpty else { return }
        connection.queue(
            """
            INSERT INTO \(schema).outbox (stream, event_id, payload, claimed_until)
            SELECT t.stream, t.event_id, t.payload, clock_timestamp() + make_interval(secs => $4::int)
            FROM unnest($1::text[], $2::uuid[], $3::bytea[]) WITH ORDINALITY AS t(stream, event_id, payload, ord)
            ORDER BY t.ord
            ON CONFLICT (event_id) DO NOTHING
            """,
            [PostgresArray.literal(entries.map(\.stream)), PostgresArray.literal(entries.map(\.eventID.lowercasedText)),
             PostgresArray.bytea(entries.map(\.payload)), Outbox.writerClaimSeconds])
    }
}

/// Rows one transaction added to one outbox.
public struct OutboxNote: Sendable {
    /// The outbox's schema.
    public var schema: String
    /// The rows, in order.
    public var entries: [OutboxEntry]
}

/// An event encoded for ``Outbox/enqueue(_:on:)`` in bulk.
public struct OutboxEntry: Sendable {
    /// The stream to publish to.
    public var stream: String
    /// The envelope id (the outbox's idempotency key).
    public var eventID: UUID
    /// The encoded envelope.
    public var payload: [UInt8]

    /// Encodes `envelope` (validating it) for `stream`.
    public init<Payload: EventPayload>(_ envelope: EventEnvelope<Payload>, to stream: String) throws {
        self.stream = stream
        eventID = envelope.id.uuid
        payload = try EnvelopeCodec.encode(envelope)
    }
}

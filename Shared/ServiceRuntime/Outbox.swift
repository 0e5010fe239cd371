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

    /// Adds many encoded events, inside the caller's transaction: one queued statement per row, whose text
    /// never changes, so the connection prepares it once.
    /// Events whose id is already in the outbox are ignored.
    public func enqueue(_ entries: [OutboxEntry], on connection: PostgresConnection) throws {
        let claim = connection.transactionNotes.contains { $0 is OutboxPublisher.Committer } ? Self.writerClaimSeconds : 0
        for entry in entries {
            connection.queue(
                """
                INSERT INTO \(schema).outbox (stream, event_id, payload, claimed_until)
                VALUES ($1, $2::uuid, $3::bytea, CASE WHEN $4::int > 0 THEN clock_timestamp() + make_interval(secs => $4::int) END)
                ON CONFLICT (event_id) DO NOTHING
                """,
                [entry.stream, entry.eventID, entry.payload, claim])
        }
        connection.transactionNotes.append(OutboxNote(schema: schema, entries: entries))
    }

    /// What the transaction on `connection` enqueued so far, in order (for its committer to publish).
    public static func enqueued(on connection: PostgresConnection) -> [OutboxNote] {
        connection.transactionNotes.compactMap { $0 as? OutboxNote }
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

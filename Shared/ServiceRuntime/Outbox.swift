import Foundation
import KefuModel
import Postgres

/// Records events for publication in the caller's PostgreSQL transaction, so a state change and the
/// events it causes commit together. Never "commit, then XADD, and hope".
///
/// The rows are written with the next round trip of the transaction (``PostgresConnection/queue(_:_:)``),
/// claimed for a short while by the writer, and noted on the connection: the code that commits publishes
/// them at once (``OutboxPublisher``); ``OutboxRelay`` publishes whatever a crashed or failed publisher left.
public struct Outbox: Sendable {
    /// The schema holding the `outbox` table (the service's own).
    public let schema: String
    /// How long the writer's claim holds: after that the relay publishes rows the writer did not.
    public static let writerClaimSeconds = 2

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

    /// Adds many encoded events (one statement per 500 rows), inside the caller's transaction.
    /// Events whose id is already in the outbox are ignored.
    public func enqueue(_ entries: [OutboxEntry], on connection: PostgresConnection) throws {
        var start = 0
        while start < entries.count {
            let chunk = entries[start..<min(entries.count, start + 500)]
            var placeholders: [String] = []
            var parameters: [any PostgresEncodable] = []
            placeholders.reserveCapacity(chunk.count)
            parameters.reserveCapacity(chunk.count * 3)
            for (offset, entry) in chunk.enumerated() {
                placeholders.append("($\(offset * 3 + 1), $\(offset * 3 + 2)::uuid, $\(offset * 3 + 3)::bytea, claim)")
                parameters.append(entry.stream)
                parameters.append(entry.eventID)
                parameters.append(entry.payload)
            }
            connection.queue(
                """
                INSERT INTO \(schema).outbox (stream, event_id, payload, claimed_until)
                SELECT v.* FROM (SELECT clock_timestamp() + make_interval(secs => \(Self.writerClaimSeconds)) AS claim) c,
                LATERAL (VALUES \(placeholders.joined(separator: ", "))) AS v
                ON CONFLICT (event_id) DO NOTHING
                """,
                parameters)
            start += chunk.count
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

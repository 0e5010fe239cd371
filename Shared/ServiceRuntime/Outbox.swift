import Foundation
import KefuModel
import Postgres

/// Records events for publication in the caller's PostgreSQL transaction, so a state change and the
/// events it causes commit together; ``OutboxRelay`` publishes them. Never "commit, then XADD, and hope".
public struct Outbox: Sendable {
    /// The schema holding the `outbox` table (the service's own).
    public let schema: String

    /// An outbox in `schema`.
    public init(schema: String) {
        self.schema = schema
    }

    /// Adds `envelope` to the outbox for `stream`, inside the transaction `connection` is in.
    /// A second enqueue of the same event id is ignored.
    public func enqueue<Payload: EventPayload>(
        _ envelope: EventEnvelope<Payload>, to stream: String, on connection: PostgresConnection
    ) throws {
        let bytes = try EnvelopeCodec.encode(envelope)
        try connection.execute(
            "INSERT INTO \(schema).outbox (stream, event_id, payload) VALUES ($1, $2, $3) ON CONFLICT (event_id) DO NOTHING",
            [stream, envelope.id.uuid, bytes])
    }

    /// Adds many encoded events in few statements (chunks of 500 rows), inside the caller's transaction.
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
                placeholders.append("($\(offset * 3 + 1), $\(offset * 3 + 2)::uuid, $\(offset * 3 + 3)::bytea)")
                parameters.append(entry.stream)
                parameters.append(entry.eventID)
                parameters.append(entry.payload)
            }
            try connection.execute(
                "INSERT INTO \(schema).outbox (stream, event_id, payload) VALUES \(placeholders.joined(separator: ", ")) ON CONFLICT (event_id) DO NOTHING",
                parameters)
            start += chunk.count
        }
    }
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

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
}

import KefuModel
import Postgres
import Synchronization

/// The `message.accepted` events of a batch not yet applied: one `reporting.on_messages` call applies them all,
/// in order, when another kind of event comes or the batch ends (the handlers' transaction holds it).
final class MessageBatch: Sendable {
    private struct Row {
        var session: String
        var seq: Int
        var channel: String
        var visitor: String
        var time: String
        var sender: String
        var agent: String?
    }

    private let timezone: String
    private let rows = Mutex<[Row]>([])

    private init(timezone: String) {
        self.timezone = timezone
    }

    /// The transaction's batch, created on first use.
    static func on(_ connection: PostgresConnection, timezone: String) -> MessageBatch {
        if let batch = connection.transactionNotes.lazy.compactMap({ $0 as? MessageBatch }).first { return batch }
        let batch = MessageBatch(timezone: timezone)
        connection.transactionNotes.append(batch)
        return batch
    }

    /// Gathers one message.
    func add(_ message: MessageAccepted, time: Timestamp) {
        let row = Row(
            session: message.sessionID.description, seq: message.seq, channel: message.channel, visitor: message.visitorID,
            time: time.rfc3339, sender: message.sender.rawValue, agent: message.agentID?.description)
        rows.withLock { $0.append(row) }
    }

    /// Queues one call applying the gathered messages (if any) and empties the batch.
    static func flush(on connection: PostgresConnection) {
        guard let batch = connection.transactionNotes.lazy.compactMap({ $0 as? MessageBatch }).first else { return }
        let rows = batch.rows.withLock { rows in
            defer { rows.removeAll() }
            return rows
        }
        guard !rows.isEmpty else { return }
        connection.queue(
            """
            SELECT reporting.on_messages($1::uuid[], $2::bigint[], $3::text[], $4::text[], $5::timestamptz[], $6, \
            $7::text[], $8::uuid[])
            """,
            [
                PostgresArray.literal(rows.map(\.session)), PostgresArray.literal(rows.map { String($0.seq) }),
                PostgresArray.literal(rows.map(\.channel)), PostgresArray.literal(rows.map(\.visitor)),
                PostgresArray.literal(rows.map(\.time)), batch.timezone, PostgresArray.literal(rows.map(\.sender)),
                PostgresArray.literal(rows.map(\.agent)),
            ])
    }
}

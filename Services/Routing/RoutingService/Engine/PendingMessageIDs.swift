import KefuModel
import Postgres
import ServiceRuntime

/// The message ids a routing batch accepted, written by one `INSERT … SELECT FROM unnest(…)` just before
/// COMMIT instead of one `INSERT` per message. Only used with a ``RoutingBatch``: the batch answers repeats
/// within itself (``RoutingBatch/noteAccepted(_:sessionID:seq:)``), so nothing reads these rows before the
/// commit. It follows the transaction's savepoints: the ids of a refused or failed handler go with it. A
/// concurrent first copy (another instance) makes the insert fail, the batch is retried, and the retry finds
/// the first copy — as with one insert per message.
final class PendingMessageIDs: PostgresListParticipant, @unchecked Sendable {
    struct Row: Sendable {
        var key: RoutingBatch.MessageKey
        var sessionID: String
        var seq: Int
    }

    let schema: String
    var gathered = SavepointList<Row>()

    private init(schema: String) {
        self.schema = schema
    }

    /// The transaction's pending ids for `schema`, created on first use.
    static func on(_ connection: PostgresConnection, schema: String) -> PendingMessageIDs {
        connection.participant(where: { $0.schema == schema }, make: { PendingMessageIDs(schema: schema) })
    }

    /// Adds the id of a message accepted into `sessionID` at `seq`.
    func append(_ key: RoutingBatch.MessageKey, sessionID: SessionID, seq: Int) {
        gathered.append(Row(key: key, sessionID: sessionID.description, seq: seq))
    }

    /// One `INSERT … SELECT FROM unnest(…)` of every id gathered, queued to travel with COMMIT.
    func beforeCommit(_ connection: PostgresConnection) throws {
        let rows = gathered.elements
        guard !rows.isEmpty else { return }
        connection.queue(
            """
            INSERT INTO \(schema).message_ids (sender, channel, owner_id, client_message_id, session_id, seq)
            SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::uuid[], $6::bigint[])
            """,
            [PostgresArray.literal(rows.map(\.key.sender)), PostgresArray.literal(rows.map(\.key.channel)),
             PostgresArray.literal(rows.map(\.key.owner)), PostgresArray.literal(rows.map(\.key.clientMessageID)),
             "{" + rows.map(\.sessionID).joined(separator: ",") + "}", "{" + rows.map { String($0.seq) }.joined(separator: ",") + "}"])
    }
}

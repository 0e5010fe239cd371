import Foundation
import Postgres

/// Who serves which session, kept from routing's events in `session_assignments`: one row per event that
/// changes it, keyed by the session's `seq`, so the answer for a message is right whatever order the
/// events arrived in.
struct SessionTracker: Sendable {
    /// The schema, `knowledge`.
    let schema: String

    /// Records that from `seq` on, `agent` serves the session (nil: nobody; `ended`: the session is over).
    func record(_ session: UUID, seq: Int, agent: UUID?, ended: Bool, _ connection: PostgresConnection) throws {
        try connection.execute(
            """
            INSERT INTO \(schema).session_assignments (session_id, seq, agent_id, ended)
            VALUES ($1, $2, $3, $4) ON CONFLICT (session_id, seq) DO NOTHING
            """,
            [session, seq, agent, ended])
    }

    /// The agent serving the session when the event numbered `seq` happened, if any.
    func agent(serving session: UUID, at seq: Int, _ connection: PostgresConnection) throws -> UUID? {
        let rows = try connection.query(
            """
            SELECT agent_id, ended FROM \(schema).session_assignments
            WHERE session_id = $1 AND seq < $2 ORDER BY seq DESC LIMIT 1
            """,
            [session, seq])
        guard let row = rows.first, !(try row.decode(Bool.self, at: 1)) else { return nil }
        return try row.decode(UUID?.self, at: 0)
    }

    /// Refuses unless `agent` serves or served the session: `unknown_session` when knowledge has never
    /// seen an agent on it, `not_your_session` when others served it.
    func requireServed(_ session: UUID, by agent: UUID, _ connection: PostgresConnection) throws {
        let rows = try connection.query(
            "SELECT bool_or(agent_id = $2), count(*) FROM \(schema).session_assignments WHERE session_id = $1",
            [session, agent])
        let served = try rows.first?.decode(Bool?.self, at: 0) ?? nil
        let count = try rows.first?.decode(Int64.self, at: 1) ?? 0
        guard count > 0 else {
            throw Refusal(.unknownSession, "knowledge knows no human session \(session.lowercasedString)")
        }
        guard served == true else {
            throw Refusal(.notYourSession, "you do not serve and did not serve session \(session.lowercasedString)")
        }
    }

    /// Forgets sessions that ended more than `days` ago; returns how many rows went.
    func purge(olderThanDays days: Int, _ connection: PostgresConnection) throws -> Int {
        try connection.execute(
            """
            DELETE FROM \(schema).session_assignments WHERE session_id IN (
                SELECT session_id FROM \(schema).session_assignments
                WHERE ended AND recorded_at < now() - make_interval(days => $1))
            """,
            [days])
    }
}

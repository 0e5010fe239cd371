import Foundation
import Postgres
import KefuModel
import ServiceRuntime

/// Who serves which session, kept from routing's events in `session_assignments`: one row per event that
/// changes it, keyed by the session's `seq`, so the answer for a message is right whatever order the
/// events arrived in.
struct SessionTracker: Sendable {
    /// The schema, `knowledge`.
    let schema: String

    /// Records that from `seq` on, `agent` serves the session (nil: nobody; `ended`: the session is over).
    /// The write is queued: it travels with the batch's COMMIT.
    func record(_ session: UUID, seq: Int, agent: UUID?, ended: Bool, _ connection: PostgresConnection) throws {
        connection.queue(
            """
            INSERT INTO \(schema).session_assignments (session_id, seq, agent_id, ended)
            VALUES ($1, $2, $3, $4) ON CONFLICT (session_id, seq) DO NOTHING
            """,
            [session, seq, agent, ended])
        AssignmentBatch.current(on: connection)?.note(session, Assignment(seq: seq, agent: agent, ended: ended))
    }

    /// The agent serving the session when the event numbered `seq` happened, if any. In a prepared batch
    /// the batch's read answers (no round trip).
    func agent(serving session: UUID, at seq: Int, _ connection: PostgresConnection) throws -> UUID? {
        if let batch = AssignmentBatch.current(on: connection), batch.knows(session) {
            return batch.agent(serving: session, at: seq)
        }
        let rows = try connection.query(
            """
            SELECT agent_id, ended FROM \(schema).session_assignments
            WHERE session_id = $1 AND seq < $2 ORDER BY seq DESC LIMIT 1
            """,
            [session, seq])
        guard let row = rows.first, !(try row.decode(Bool.self, at: 1)) else { return nil }
        return try row.decode(UUID?.self, at: 0)
    }

    /// Reads the assignment history of every session a batch of events names, once, before its handlers run.
    func prepare(_ events: [IncomingEvent], _ connection: PostgresConnection) throws {
        var ids = Set<UUID>()
        for event in events where event.header.type == .messageAccepted {
            if let data = try? event.decode(MessageAccepted.self).data, data.sender == .visitor { ids.insert(data.sessionID.uuid) }
        }
        let batch = AssignmentBatch(sessions: ids)
        if !ids.isEmpty {
            let rows = try connection.query(
                "SELECT session_id, seq, agent_id, ended FROM \(schema).session_assignments WHERE session_id = ANY($1::uuid[])",
                ["{" + ids.map(\.lowercasedText).joined(separator: ",") + "}"])
            for row in rows {
                batch.note(try row.decode(UUID.self, at: 0), Assignment(
                    seq: try row.decode(Int.self, at: 1), agent: try row.decode(UUID?.self, at: 2), ended: try row.decode(Bool.self, at: 3)))
            }
        }
        connection.transactionNotes.append(batch)
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
            throw Refusal(.unknownSession, "knowledge knows no human session \(session.lowercasedText)")
        }
        guard served == true else {
            throw Refusal(.notYourSession, "you do not serve and did not serve session \(session.lowercasedText)")
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

/// One row of a session's assignment history.
struct Assignment: Sendable {
    var seq: Int
    var agent: UUID?
    var ended: Bool
}

/// The assignment history of the sessions a batch names, read once (``SessionTracker/prepare(_:_:)``) and
/// kept up to date by the batch's own ``SessionTracker/record(_:seq:agent:ended:_:)`` calls.
final class AssignmentBatch: @unchecked Sendable {
    private var history: [UUID: [Assignment]]

    init(sessions: Set<UUID>) {
        history = Dictionary(uniqueKeysWithValues: sessions.map { ($0, []) })
    }

    static func current(on connection: PostgresConnection) -> AssignmentBatch? {
        connection.transactionNotes.lazy.compactMap { $0 as? AssignmentBatch }.first
    }

    /// Whether the batch read the session's history.
    func knows(_ session: UUID) -> Bool { history[session] != nil }

    /// Adds a row for a session the batch read (rows of other sessions are not needed).
    func note(_ session: UUID, _ assignment: Assignment) {
        guard history[session] != nil, !history[session]!.contains(where: { $0.seq == assignment.seq }) else { return }
        history[session]!.append(assignment)
    }

    /// As the query: the latest row before `seq`, nil when none or ended.
    func agent(serving session: UUID, at seq: Int) -> UUID? {
        guard let latest = history[session]?.filter({ $0.seq < seq }).max(by: { $0.seq < $1.seq }), !latest.ended else {
            return nil
        }
        return latest.agent
    }
}

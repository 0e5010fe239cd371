import Foundation
import KefuModel
import Postgres

/// Who may read a stored session: its visitor, the agents who served that visitor (this session or an
/// earlier one — the workbench shows previous sessions with their transcripts), and admins.
///
/// Visitors are told `unknown_session` (or `unknown_image`) for anything not theirs, exactly as for
/// something that does not exist, so they cannot probe ids. Agents are told `forbidden`. The `service`
/// role reads nothing here.
struct SessionAccess: Sendable {
    /// The session.
    let sessionID: UUID
    /// Its channel.
    let channel: String
    /// Its visitor.
    let visitorID: String
    /// The agents assigned or transferred to it, in the order they joined.
    let agentIDs: [UUID]
    /// The highest seq stored.
    let lastSeq: Int
    /// The agents assigned or transferred to any session of the same visitor.
    let visitorAgentIDs: [UUID]

    /// Loads the session's access facts, or nil when the store has no such session.
    static func load(_ sessionID: UUID, on connection: PostgresConnection) throws -> SessionAccess? {
        let rows = try connection.query(
            """
            SELECT s.channel, s.visitor_id, s.agent_ids::text, s.last_seq,
                   (SELECT coalesce(array_agg(DISTINCT a), '{}')::text FROM store.sessions o, unnest(o.agent_ids) a
                    WHERE o.channel = s.channel AND o.visitor_id = s.visitor_id)
            FROM store.sessions s WHERE s.session_id = $1
            """,
            [sessionID])
        guard let row = rows.first else { return nil }
        return SessionAccess(
            sessionID: sessionID,
            channel: try row.decode(String.self, at: 0),
            visitorID: try row.decode(String.self, at: 1),
            agentIDs: PostgresArray.uuids(try row.decode(String.self, at: 2)),
            lastSeq: try row.decode(Int.self, at: 3),
            visitorAgentIDs: PostgresArray.uuids(try row.decode(String.self, at: 4)))
    }

    /// Throws unless `actor` may read this session; `hidden` is the answer for a visitor who may not.
    /// Supervisors read every session (the monitor's read-only view).
    func authorize(_ actor: Actor, hidden: QueryFailure = .unknownSession) throws(QueryFailure) {
        switch actor.role {
        case .admin, .supervisor:
            return
        case .agent:
            guard let agentID = actor.agentID?.uuid, agentIDs.contains(agentID) || visitorAgentIDs.contains(agentID) else {
                throw .forbidden("you never served this visitor")
            }
        case .visitor:
            guard actor.channel == channel, actor.visitorID == visitorID else { throw hidden }
        case .service:
            throw .forbidden("services do not read conversations; ask as the visitor, an agent or an admin")
        }
    }
}

/// Parsing of PostgreSQL array text output.
enum PostgresArray {
    /// `{a,b}` of UUIDs (which never need quoting) as UUIDs.
    static func uuids(_ text: String) -> [UUID] {
        text.trimmingCharacters(in: CharacterSet(charactersIn: "{}"))
            .split(separator: ",")
            .compactMap { UUID(uuidString: String($0)) }
    }
}

import Foundation
import KefuModel
import Postgres

/// An agent row.
struct AgentRecord: Sendable {
    let id: AgentID
    var name: String
    var capacity: Int
    var enabled: Bool
    var status: AgentStatus
    var presentUntil: Date?
    var load: Int
    var idleSince: Date
    /// Whether the presence heartbeat is current (evaluated by the database when read).
    var present: Bool
    /// The skill groups the agent serves (empty: only the default queue).
    var groups: [String]

    static let columns = """
        id, name, capacity, enabled, status, present_until, load, idle_since, coalesce(present_until > now(), false),
        array_to_string(groups, ',')
        """

    init(row: PostgresRow) throws {
        id = AgentID(try row.decode(UUID.self, at: 0))
        name = try row.decode(at: 1)
        capacity = try row.decode(at: 2)
        enabled = try row.decode(at: 3)
        let status: String = try row.decode(at: 4)
        guard let parsed = AgentStatus(rawValue: status) else {
            throw PostgresError.decoding(column: "status", reason: "unknown agent status \(status)")
        }
        self.status = parsed
        presentUntil = try row.decode(at: 5)
        load = try row.decode(at: 6)
        idleSince = try row.decode(at: 7)
        present = try row.decode(at: 8)
        let groups: String = try row.decode(at: 9)
        self.groups = groups.split(separator: ",").map(String.init)
    }

    /// Whether routing may give this agent one more session now.
    var canTakeSession: Bool { enabled && status == .online && present && load < capacity }

    /// The `agent.updated` event for this row.
    var updated: AgentUpdated {
        AgentUpdated(agentID: id, name: name, status: status, present: present, capacity: capacity, load: load, enabled: enabled)
    }
}

/// Reading and locking agents. Locks are taken after the session's, and several agents in id order.
struct AgentStore {
    let schema: String

    func lock(_ id: AgentID, on connection: PostgresConnection) throws -> AgentRecord? {
        try connection.query("SELECT \(AgentRecord.columns) FROM \(schema).agents WHERE id = $1 FOR UPDATE", [id.uuid])
            .first.map(AgentRecord.init(row:))
    }

    func read(_ id: AgentID, on connection: PostgresConnection) throws -> AgentRecord? {
        try connection.query("SELECT \(AgentRecord.columns) FROM \(schema).agents WHERE id = $1", [id.uuid])
            .first.map(AgentRecord.init(row:))
    }

    /// Changes a locked agent's load by `delta` (never below zero) and returns the new row.
    func changeLoad(_ id: AgentID, by delta: Int, on connection: PostgresConnection) throws -> AgentRecord? {
        try connection.query(
            """
            UPDATE \(schema).agents SET load = greatest(0, load + $2), updated_at = now(),
                idle_since = CASE WHEN $2 > 0 THEN now() ELSE idle_since END,
                last_assigned_at = CASE WHEN $2 > 0 THEN now() ELSE last_assigned_at END
            WHERE id = $1 RETURNING \(AgentRecord.columns)
            """, [id.uuid, delta]
        ).first.map(AgentRecord.init(row:))
    }

    /// Whether someone is at a workbench who could take the session now or after switching to 在线: an
    /// enabled, present agent who is online or has stopped accepting (停止接入 keeps them on duty).
    func anyoneStaffed(on connection: PostgresConnection) throws -> Bool {
        try connection.query(
            """
            SELECT EXISTS (SELECT 1 FROM \(schema).agents
                           WHERE status IN ('online', 'stop_accepting') AND enabled AND present_until > now())
            """
        ).first?.decode(Bool.self, at: 0) ?? false
    }
}

import Foundation
import KefuModel
import Postgres

/// A session's state.
enum SessionState: String, Sendable {
    case bot, queued, assigned, ended, left

    /// Whether the session is still open (a visitor's messages go to it).
    var isOpen: Bool { self == .bot || self == .queued || self == .assigned }
}

/// A session row, read while locked (`FOR UPDATE`); events are numbered from `lastSeq`.
struct SessionRecord: Sendable {
    let id: SessionID
    let channel: String
    let visitorID: String
    var state: SessionState
    var lastSeq: Int
    var agentID: AgentID?
    var priority: Int
    var unanswered: Int
    var pendingQuestionSeq: Int?
    var human: Bool
    var ratingInvited: Bool
    var rated: Bool
    var assignedAt: Date?
    var firstAssignedAt: Date?
    var createdAt: Date
    var endedAt: Date?
    var endReason: String?
    var attributes: String
    /// The visitor's priority (0–9) from a connector, if one was given (see ``ActiveSettings/queuePriority(for:)``).
    var visitorPriority: Int?
    /// The agent serving the session when it ended: who writes its summary (会话小结).
    var summaryAgentID: AgentID?
    /// Whether that summary is due under `summary_required`.
    var summaryDue: Bool
    /// The skill group: the entry's while with the bot, the queue's once queued (nil: the default queue).
    var groupID: String?
    /// Whether the bot offered the group menu and waits for the visitor's choice.
    var awaitingGroup: Bool

    /// The columns `SessionRecord(row:)` reads, in order.
    static let columns = """
        id, channel, visitor_id, state, last_seq, agent_id, priority, unanswered, pending_question_seq, human,
        rating_invited, rated, assigned_at, first_assigned_at, created_at, ended_at, end_reason, attributes::text,
        visitor_priority, summary_agent_id, summary_due, group_id, awaiting_group
        """

    init(row: PostgresRow) throws {
        let id: UUID = try row.decode(at: 0)
        self.id = SessionID(id)
        channel = try row.decode(at: 1)
        visitorID = try row.decode(at: 2)
        let state: String = try row.decode(at: 3)
        guard let parsed = SessionState(rawValue: state) else {
            throw PostgresError.decoding(column: "state", reason: "unknown session state \(state)")
        }
        self.state = parsed
        lastSeq = try row.decode(at: 4)
        agentID = (try row.decode(UUID?.self, at: 5)).map(AgentID.init)
        priority = try row.decode(at: 6)
        unanswered = try row.decode(at: 7)
        pendingQuestionSeq = try row.decode(at: 8)
        human = try row.decode(at: 9)
        ratingInvited = try row.decode(at: 10)
        rated = try row.decode(at: 11)
        assignedAt = try row.decode(at: 12)
        firstAssignedAt = try row.decode(at: 13)
        createdAt = try row.decode(at: 14)
        endedAt = try row.decode(at: 15)
        endReason = try row.decode(at: 16)
        attributes = try row.decode(at: 17)
        visitorPriority = (try row.decode(Int16?.self, at: 18)).map(Int.init)
        summaryAgentID = (try row.decode(UUID?.self, at: 19)).map(AgentID.init)
        summaryDue = try row.decode(at: 20)
        groupID = try row.decode(at: 21)
        awaitingGroup = try row.decode(at: 22)
    }

    /// The next event number of the session (the caller holds the row lock and saves `lastSeq`).
    mutating func nextSeq() -> Int {
        lastSeq += 1
        return lastSeq
    }
}

/// Reading and locking sessions.
struct SessionStore {
    let schema: String

    /// Locks and returns a session by id.
    func lock(_ id: SessionID, on connection: PostgresConnection) throws -> SessionRecord? {
        if let session = RoutingBatch.current(on: connection)?.take(id) { return patched(session, on: connection) }
        return patched(try connection.query(
            "SELECT \(SessionRecord.columns) FROM \(schema).sessions WHERE id = $1 FOR UPDATE", [id.uuid]
        ).first.map(SessionRecord.init(row:)), on: connection)
    }

    /// Reads a session without locking it.
    func read(_ id: SessionID, on connection: PostgresConnection) throws -> SessionRecord? {
        patched(try connection.query(
            "SELECT \(SessionRecord.columns) FROM \(schema).sessions WHERE id = $1", [id.uuid]
        ).first.map(SessionRecord.init(row:)), on: connection)
    }

    /// Locks and returns the visitor's open session, if any.
    func lockOpen(channel: String, visitorID: String, on connection: PostgresConnection) throws -> SessionRecord? {
        switch RoutingBatch.current(on: connection)?.takeOpen(channel: channel, visitorID: visitorID) ?? .unknown {
        case .found(let session): return patched(session, on: connection)
        case .none: return nil
        case .unknown: break
        }
        return patched(try connection.query(
            """
            SELECT \(SessionRecord.columns) FROM \(schema).sessions
            WHERE channel = $1 AND visitor_id = $2 AND state IN ('bot', 'queued', 'assigned') FOR UPDATE
            """, [channel, visitorID]
        ).first.map(SessionRecord.init(row:)), on: connection)
    }

    /// The session with the `last_seq` its batch has gathered but not yet written (``PendingSessionTouches``).
    private func patched(_ session: SessionRecord?, on connection: PostgresConnection) -> SessionRecord? {
        guard var session, let pending = PendingSessionTouches.current(on: connection, schema: schema) else { return session }
        pending.patch(&session)
        return session
    }

    /// Inserts a new bot session for the visitor unless another transaction just did; returns the
    /// visitor's open session, locked, and whether it is the new one. A new session's `last_seq` is already 1:
    /// the caller publishes its `session.created` with that number.
    func openOrCreate(
        channel: String, visitorID: String, attributes: [String: String]?, on connection: PostgresConnection
    ) throws -> (SessionRecord, created: Bool) {
        if let open = try lockOpen(channel: channel, visitorID: visitorID, on: connection) { return (open, false) }
        let attributesJSON = String(decoding: try JSONEncoder().encode(attributes ?? [:]), as: UTF8.self)
        let inserted = try connection.query(
            """
            INSERT INTO \(schema).sessions (id, channel, visitor_id, state, attributes, last_seq)
            VALUES ($1, $2, $3, 'bot', $4::jsonb, 1)
            ON CONFLICT (channel, visitor_id) WHERE state IN ('bot', 'queued', 'assigned') DO NOTHING
            RETURNING \(SessionRecord.columns)
            """, [UUID(), channel, visitorID, attributesJSON])
        if let row = inserted.first { return (try SessionRecord(row: row), true) }
        guard let open = try lockOpen(channel: channel, visitorID: visitorID, on: connection) else {
            throw PostgresError.decoding(column: "sessions", reason: "open session vanished while creating one")
        }
        return (open, false)
    }

    /// Saves the fields a handler may change on a locked session.
    func save(_ session: SessionRecord, on connection: PostgresConnection) throws {
        connection.queue(
            """
            UPDATE \(schema).sessions SET state = $2, last_seq = $3, agent_id = $4, unanswered = $5,
                pending_question_seq = $6, human = $7, rating_invited = $8, rated = $9
            WHERE id = $1
            """,
            [session.id.uuid, session.state.rawValue, session.lastSeq, session.agentID?.uuid, session.unanswered,
             session.pendingQuestionSeq, session.human, session.ratingInvited, session.rated])
    }
}

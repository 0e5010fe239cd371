/// `admin.block_visitor` v1 (commands): an admin blocks the visitor of any session (拉黑 from 会话记录), also an
/// ended one; routing records the block like `agent.block_visitor` (the admin as `blocked_by`), ends the
/// visitor's open session on that channel if there is one, and refuses their messages (`visitor.refused`)
/// until the block expires or is lifted.
public struct AdminBlockVisitor: EventPayload {
    /// The entry type.
    public static let eventType = EventType.adminBlockVisitor
    /// The data version.
    public static let version = 1

    /// The admin blocking.
    public var actorID: AgentID
    /// A session of the visitor (its channel and visitor id are the ones blocked).
    public var sessionID: SessionID
    /// Why, 1–200 characters (kept in the audit, never shown to the visitor).
    public var reason: String
    /// How long the block lasts, 1–525,600 minutes; nil blocks for good.
    public var durationMinutes: Int?

    /// Creates the payload.
    public init(actorID: AgentID, sessionID: SessionID, reason: String, durationMinutes: Int? = nil) {
        self.actorID = actorID
        self.sessionID = sessionID
        self.reason = reason
        self.durationMinutes = durationMinutes
    }

    enum CodingKeys: String, CodingKey {
        case reason
        case actorID = "actor_id"
        case sessionID = "session_id"
        case durationMinutes = "duration_minutes"
    }

    /// Checks the reason and the duration range (as `agent.block_visitor`).
    public func validate() throws(ContractError) {
        try AgentBlockVisitor(sessionID: sessionID, agentID: actorID, reason: reason, durationMinutes: durationMinutes).validate()
    }
}

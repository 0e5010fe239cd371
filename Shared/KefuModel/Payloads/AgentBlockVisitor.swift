/// `agent.block_visitor` v1 (commands): the agent serving a session blocks its visitor (拉黑) for a while or
/// for good; routing records the block, ends the session as an agent end and refuses the visitor's messages
/// (`visitor.refused`) until the block expires or an admin lifts it.
public struct AgentBlockVisitor: EventPayload {
    /// The entry type.
    public static let eventType = EventType.agentBlockVisitor
    /// The data version.
    public static let version = 1
    /// The longest reason, in characters.
    public static let maxReasonLength = 200
    /// The longest timed block: 365 days, in minutes.
    public static let maxDurationMinutes = 525_600

    /// The session whose visitor is blocked.
    public var sessionID: SessionID
    /// The agent serving it.
    public var agentID: AgentID
    /// Why, 1–200 characters (kept in the audit, never shown to the visitor).
    public var reason: String
    /// How long the block lasts, 1–525,600 minutes; nil blocks for good.
    public var durationMinutes: Int?

    /// Creates the payload.
    public init(sessionID: SessionID, agentID: AgentID, reason: String, durationMinutes: Int? = nil) {
        self.sessionID = sessionID
        self.agentID = agentID
        self.reason = reason
        self.durationMinutes = durationMinutes
    }

    enum CodingKeys: String, CodingKey {
        case reason
        case sessionID = "session_id"
        case agentID = "agent_id"
        case durationMinutes = "duration_minutes"
    }

    /// Checks the reason and the duration range.
    public func validate() throws(ContractError) {
        try FieldRules.text(reason, field: "reason", maxLength: Self.maxReasonLength)
        if let durationMinutes {
            try FieldRules.integer(durationMinutes, in: 1...Self.maxDurationMinutes, field: "duration_minutes")
        }
    }
}

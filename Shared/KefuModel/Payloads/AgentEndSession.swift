/// `agent.end_session` v1 (commands): an agent ended a session.
public struct AgentEndSession: EventPayload {
    /// The entry type.
    public static let eventType = EventType.agentEndSession
    /// The data version.
    public static let version = 1

    /// The session.
    public var sessionID: SessionID
    /// The agent ending it.
    public var agentID: AgentID

    /// Creates the payload.
    public init(sessionID: SessionID, agentID: AgentID) {
        self.sessionID = sessionID
        self.agentID = agentID
    }

    enum CodingKeys: String, CodingKey {
        case sessionID = "session_id"
        case agentID = "agent_id"
    }

    /// Nothing beyond the JSON shape to check.
    public func validate() throws(ContractError) {}
}

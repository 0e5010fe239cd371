/// `leave_message.updated` v1 (events): a visitor left a message (留言), or an agent claimed or closed one.
public struct LeaveMessageUpdated: VisitorScoped {
    /// The entry type.
    public static let eventType = EventType.leaveMessageUpdated
    /// The data version.
    public static let version = 1

    /// The left message.
    public var leaveMessageID: LeaveMessageID
    /// The channel.
    public var channel: String
    /// The visitor's id within the channel.
    public var visitorID: String
    /// The session the message was left in, if any.
    public var sessionID: SessionID?
    /// The new state.
    public var state: LeaveMessageState
    /// The agent who claimed or closed it.
    public var agentID: AgentID?

    /// Creates the payload.
    public init(
        leaveMessageID: LeaveMessageID, channel: String, visitorID: String, sessionID: SessionID? = nil,
        state: LeaveMessageState, agentID: AgentID? = nil
    ) {
        self.leaveMessageID = leaveMessageID
        self.channel = channel
        self.visitorID = visitorID
        self.sessionID = sessionID
        self.state = state
        self.agentID = agentID
    }

    enum CodingKeys: String, CodingKey {
        case channel, state
        case leaveMessageID = "leave_message_id"
        case visitorID = "visitor_id"
        case sessionID = "session_id"
        case agentID = "agent_id"
    }

    /// Checks the visitor and that claimed or closed messages name the agent.
    public func validate() throws(ContractError) {
        try validateVisitor()
        if state != .unclaimed, agentID == nil { throw .missingField("agent_id") }
    }
}

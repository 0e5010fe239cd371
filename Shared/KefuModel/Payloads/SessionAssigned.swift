/// `session.assigned` v1 (events): an agent took a queued session.
public struct SessionAssigned: VisitorScoped {
    /// The entry type.
    public static let eventType = EventType.sessionAssigned
    /// The data version.
    public static let version = 1

    /// The session.
    public var sessionID: SessionID
    /// The session's event sequence number: from 1, one more for every event of the session, whoever caused it.
    public var seq: Int
    /// The channel.
    public var channel: String
    /// The visitor's id within the channel.
    public var visitorID: String
    /// The agent now serving.
    public var agentID: AgentID
    /// The agent's display name, safe to show to the visitor.
    public var agentName: String
    /// The skill group it was assigned from; absent: the default queue.
    public var group: String?

    /// Creates the payload.
    public init(
        sessionID: SessionID, seq: Int, channel: String, visitorID: String, agentID: AgentID, agentName: String,
        group: String? = nil
    ) {
        self.group = group
        self.sessionID = sessionID
        self.seq = seq
        self.channel = channel
        self.visitorID = visitorID
        self.agentID = agentID
        self.agentName = agentName
    }

    enum CodingKeys: String, CodingKey {
        case seq, channel, group
        case sessionID = "session_id"
        case visitorID = "visitor_id"
        case agentID = "agent_id"
        case agentName = "agent_name"
    }

    /// Checks the visitor and the display name.
    public func validate() throws(ContractError) {
        try validateVisitor()
        try FieldRules.integer(seq, in: 1...FieldRules.maxSafeInteger, field: "seq")
        try FieldRules.text(agentName, field: "agent_name", maxLength: FieldRules.maxNameLength)
    }
}

/// `session.transferred` v1 (events): a session moved from one agent to another, history included.
public struct SessionTransferred: VisitorScoped {
    /// The entry type.
    public static let eventType = EventType.sessionTransferred
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
    /// The agent who gave the session away.
    public var fromAgentID: AgentID
    /// The agent now serving.
    public var toAgentID: AgentID
    /// The new agent's display name, safe to show to the visitor.
    public var toAgentName: String
    /// The note the first agent left for the second (not for the visitor).
    public var note: String?

    /// Creates the payload.
    public init(
        sessionID: SessionID, seq: Int, channel: String, visitorID: String, fromAgentID: AgentID, toAgentID: AgentID,
        toAgentName: String, note: String? = nil
    ) {
        self.sessionID = sessionID
        self.seq = seq
        self.channel = channel
        self.visitorID = visitorID
        self.fromAgentID = fromAgentID
        self.toAgentID = toAgentID
        self.toAgentName = toAgentName
        self.note = note
    }

    enum CodingKeys: String, CodingKey {
        case seq, channel, note
        case sessionID = "session_id"
        case visitorID = "visitor_id"
        case fromAgentID = "from_agent_id"
        case toAgentID = "to_agent_id"
        case toAgentName = "to_agent_name"
    }

    /// Checks the visitor, the agents, the display name and the note.
    public func validate() throws(ContractError) {
        try validateVisitor()
        try FieldRules.integer(seq, in: 1...FieldRules.maxSafeInteger, field: "seq")
        guard toAgentID != fromAgentID else {
            throw .invalidField("to_agent_id", reason: "must differ from `from_agent_id`")
        }
        try FieldRules.text(toAgentName, field: "to_agent_name", maxLength: FieldRules.maxNameLength)
        if let note { try FieldRules.shortText(note, field: "note", maxLength: FieldRules.maxNoteLength) }
    }
}

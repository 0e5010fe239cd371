/// `agent.transfer` v1 (commands): an agent hands a session to another online agent (转接), or to a skill
/// group's queue (`to_group`); exactly one of the two is given.
public struct AgentTransfer: EventPayload {
    /// The entry type.
    public static let eventType = EventType.agentTransfer
    /// The data version.
    public static let version = 1

    /// The session.
    public var sessionID: SessionID
    /// The agent giving the session away.
    public var agentID: AgentID
    /// The agent receiving it.
    public var toAgentID: AgentID?
    /// The skill group whose queue receives it.
    public var toGroup: String?
    /// An optional note for the receiving agent, at most ``FieldRules/maxNoteLength`` characters.
    public var note: String?

    /// Creates the payload.
    public init(sessionID: SessionID, agentID: AgentID, toAgentID: AgentID?, toGroup: String? = nil, note: String? = nil) {
        self.sessionID = sessionID
        self.agentID = agentID
        self.toAgentID = toAgentID
        self.toGroup = toGroup
        self.note = note
    }

    enum CodingKeys: String, CodingKey {
        case note
        case sessionID = "session_id"
        case agentID = "agent_id"
        case toAgentID = "to_agent_id"
        case toGroup = "to_group"
    }

    /// Checks that the target differs from the sender and the note length.
    public func validate() throws(ContractError) {
        guard (toAgentID == nil) != (toGroup == nil) else {
            throw .invalidField("to_group", reason: "give exactly one of `to_agent_id` and `to_group`")
        }
        if let toGroup { try FieldRules.shortText(toGroup, field: "to_group", maxLength: 64) }
        guard toAgentID != agentID else {
            throw .invalidField("to_agent_id", reason: "must differ from `agent_id`")
        }
        if let note { try FieldRules.shortText(note, field: "note", maxLength: FieldRules.maxNoteLength) }
    }
}

/// What an agent does with a message left by a visitor.
public enum LeaveMessageAction: String, WireEnum {
    /// Take it (未接单 → 已接单).
    case claim
    /// Mark it done (→ 已结单).
    case close
}

/// The states of a message left by a visitor.
public enum LeaveMessageState: String, WireEnum {
    /// Nobody took it yet (未接单).
    case unclaimed
    /// An agent took it.
    case claimed
    /// Done (已结单).
    case closed
}

/// `agent.handle_leave_message` v1 (commands): an agent claims or closes a left message.
public struct AgentHandleLeaveMessage: EventPayload {
    /// The entry type.
    public static let eventType = EventType.agentHandleLeaveMessage
    /// The data version.
    public static let version = 1

    /// The agent.
    public var agentID: AgentID
    /// The left message.
    public var leaveMessageID: LeaveMessageID
    /// Claim or close.
    public var action: LeaveMessageAction
    /// What the agent did, kept with the message (at most 500 characters).
    public var note: String?

    /// Creates the payload.
    public init(agentID: AgentID, leaveMessageID: LeaveMessageID, action: LeaveMessageAction, note: String? = nil) {
        self.agentID = agentID
        self.leaveMessageID = leaveMessageID
        self.action = action
        self.note = note
    }

    enum CodingKeys: String, CodingKey {
        case action, note
        case agentID = "agent_id"
        case leaveMessageID = "leave_message_id"
    }

    /// Checks the note.
    public func validate() throws(ContractError) {
        if let note { try FieldRules.shortText(note, field: "note", maxLength: FieldRules.maxNoteLength) }
    }
}

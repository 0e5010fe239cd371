/// `supervisor.transfer` v1 (commands): a supervisor or admin moves any assigned session to another online agent
/// from the monitor (监控).
public struct SupervisorTransfer: EventPayload {
    /// The entry type.
    public static let eventType = EventType.supervisorTransfer
    /// The data version.
    public static let version = 1

    /// The session.
    public var sessionID: SessionID
    /// The supervisor or admin acting.
    public var supervisorID: AgentID
    /// The agent receiving the session.
    public var toAgentID: AgentID
    /// An optional note for the receiving agent, at most ``FieldRules/maxNoteLength`` characters.
    public var note: String?

    /// Creates the payload.
    public init(sessionID: SessionID, supervisorID: AgentID, toAgentID: AgentID, note: String? = nil) {
        self.sessionID = sessionID
        self.supervisorID = supervisorID
        self.toAgentID = toAgentID
        self.note = note
    }

    enum CodingKeys: String, CodingKey {
        case note
        case sessionID = "session_id"
        case supervisorID = "supervisor_id"
        case toAgentID = "to_agent_id"
    }

    /// Checks the note length.
    public func validate() throws(ContractError) {
        if let note { try FieldRules.shortText(note, field: "note", maxLength: FieldRules.maxNoteLength) }
    }
}

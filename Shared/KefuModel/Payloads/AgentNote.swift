/// `agent.note` v1 (commands): a member of staff writes an internal note (内部备注) into a session. Only staff
/// ever see it: routing publishes it as `note.added`, which never reaches the visitor, a connector or a webhook.
///
/// The gateway sets `agent_id` and `role` from the authenticated account, never from the browser's input.
/// Who may write: an agent into a session assigned to them now; a supervisor or an admin into any session
/// (routing's one check, `mayWriteNote`).
public struct AgentNote: EventPayload {
    /// The entry type.
    public static let eventType = EventType.agentNote
    /// The data version.
    public static let version = 1
    /// The longest note, in characters.
    public static let maxTextLength = 2_000

    /// The session.
    public var sessionID: SessionID
    /// The writing account.
    public var agentID: AgentID
    /// The writer's role as the gateway authenticated it (`agent`, `supervisor` or `admin`).
    public var role: ActorRole
    /// The workbench's id for this note; routing accepts one note per (account, id).
    public var clientNoteID: String
    /// The note, 1–2,000 characters.
    public var text: String

    /// Creates the payload.
    public init(sessionID: SessionID, agentID: AgentID, role: ActorRole, clientNoteID: String, text: String) {
        self.sessionID = sessionID
        self.agentID = agentID
        self.role = role
        self.clientNoteID = clientNoteID
        self.text = text
    }

    enum CodingKeys: String, CodingKey {
        case role, text
        case sessionID = "session_id"
        case agentID = "agent_id"
        case clientNoteID = "client_note_id"
    }

    /// Checks the role (staff only), the note id and the text.
    public func validate() throws(ContractError) {
        guard role == .agent || role == .admin || role == .supervisor else {
            throw .invalidField("role", reason: "must be a staff role (agent, supervisor or admin)")
        }
        try FieldRules.token(clientNoteID, field: "client_note_id")
        try FieldRules.text(text, field: "text", maxLength: Self.maxTextLength)
    }
}

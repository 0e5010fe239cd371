/// `note.added` v1 (events): routing accepted an internal note (内部备注) into a session's history.
///
/// Staff only (``EventType/isStaffOnly``): it carries no `channel` and no `visitor_id`, so connectors that
/// keep the events of their channel drop it; the gateway never sends it to a visitor's socket, a channel feed
/// or a webhook, and store never returns it to a visitor. It takes the session's next `seq` like every session
/// event, so the history keeps its order; a visitor's view of the session skips that `seq`.
public struct NoteAdded: EventPayload {
    /// The entry type.
    public static let eventType = EventType.noteAdded
    /// The data version.
    public static let version = 1

    /// The session.
    public var sessionID: SessionID
    /// The session's event sequence number: from 1, one more for every event of the session, whoever caused it.
    public var seq: Int
    /// The writing account.
    public var agentID: AgentID
    /// The writer's role (`agent`, `supervisor` or `admin`).
    public var role: ActorRole
    /// The producer's `client_note_id`, echoed.
    public var clientNoteID: String
    /// The note, masked like every text (敏感词 replaced by `*`).
    public var text: String

    /// Creates the payload.
    public init(sessionID: SessionID, seq: Int, agentID: AgentID, role: ActorRole, clientNoteID: String, text: String) {
        self.sessionID = sessionID
        self.seq = seq
        self.agentID = agentID
        self.role = role
        self.clientNoteID = clientNoteID
        self.text = text
    }

    enum CodingKeys: String, CodingKey {
        case seq, role, text
        case sessionID = "session_id"
        case agentID = "agent_id"
        case clientNoteID = "client_note_id"
    }

    /// Checks `seq`, the role, the note id and the text.
    public func validate() throws(ContractError) {
        try FieldRules.integer(seq, in: 1...FieldRules.maxSafeInteger, field: "seq")
        guard role == .agent || role == .admin || role == .supervisor else {
            throw .invalidField("role", reason: "must be a staff role (agent, supervisor or admin)")
        }
        try FieldRules.token(clientNoteID, field: "client_note_id")
        try FieldRules.text(text, field: "text", maxLength: AgentNote.maxTextLength)
    }
}

/// `agent.message` v1 (commands): an agent sent text, one image or one file into a session.
///
/// The gateway sets `agent_id` from the authenticated account, never from the browser's input.
public struct AgentMessage: EventPayload {
    /// The entry type.
    public static let eventType = EventType.agentMessage
    /// The data version.
    public static let version = 1

    /// The session.
    public var sessionID: SessionID
    /// The sending agent.
    public var agentID: AgentID
    /// The workbench's id for this message; routing accepts one message per (agent, id).
    public var clientMessageID: String
    /// The text, image or file.
    public var content: MessageContent

    /// Creates the payload.
    public init(sessionID: SessionID, agentID: AgentID, clientMessageID: String, content: MessageContent) {
        self.sessionID = sessionID
        self.agentID = agentID
        self.clientMessageID = clientMessageID
        self.content = content
    }

    enum CodingKeys: String, CodingKey {
        case text, image, file
        case sessionID = "session_id"
        case agentID = "agent_id"
        case clientMessageID = "client_message_id"
    }

    /// Decodes the wire form.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        sessionID = try container.decode(SessionID.self, forKey: .sessionID)
        agentID = try container.decode(AgentID.self, forKey: .agentID)
        clientMessageID = try container.decode(String.self, forKey: .clientMessageID)
        content = try MessageContent.decode(from: container, text: .text, image: .image, file: .file)
    }

    /// Encodes the wire form.
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(sessionID, forKey: .sessionID)
        try container.encode(agentID, forKey: .agentID)
        try container.encode(clientMessageID, forKey: .clientMessageID)
        try content.encode(to: &container, text: .text, image: .image, file: .file)
    }

    /// Checks the client message id and the content.
    public func validate() throws(ContractError) {
        try FieldRules.token(clientMessageID, field: "client_message_id")
        try content.validate()
    }
}

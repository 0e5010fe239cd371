/// `message.accepted` v1 (events): routing accepted a message into a session's transcript.
///
/// `seq` is the session's event sequence number, shared by every event of the session (messages and state
/// changes alike): from 1, without gaps. Text is already masked (敏感词 replaced by `*`). Clients resume
/// from the last `seq` they showed.
public struct MessageAccepted: VisitorScoped {
    /// The entry type.
    public static let eventType = EventType.messageAccepted
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
    /// Who wrote it.
    public var sender: SenderKind
    /// The writing agent; present exactly when `sender` is `agent`.
    public var agentID: AgentID?
    /// The producer's `client_message_id`, echoed for visitor and agent messages.
    public var clientMessageID: String?
    /// The masked text, the image or the file.
    public var content: MessageContent
    /// 猜你想问: on a bot message, the knowledge-base questions offered as choices (1–3, best first); asking one
    /// (sending its `question` as the visitor's next message) gets its answer. Optional, added in version 1.
    public var suggestions: [BotSuggestion]?
    /// On a bot message that answered from the knowledge base: the entry. Marks the answers a visitor may
    /// give 有用 / 没用 feedback on (`visitor.feedback`). Optional, added in version 1.
    public var entryID: KnowledgeEntryID?
    /// On the bot's group menu (several skill groups serve the channel): the groups to choose from; sending a
    /// choice's `name` as the visitor's next message queues them there. Optional, added in version 1.
    public var groupChoices: [GroupChoice]?

    /// Creates the payload.
    public init(
        sessionID: SessionID, seq: Int, channel: String, visitorID: String, sender: SenderKind,
        agentID: AgentID? = nil, clientMessageID: String? = nil, content: MessageContent, suggestions: [BotSuggestion]? = nil,
        entryID: KnowledgeEntryID? = nil, groupChoices: [GroupChoice]? = nil
    ) {
        self.entryID = entryID
        self.groupChoices = groupChoices
        self.suggestions = suggestions
        self.sessionID = sessionID
        self.seq = seq
        self.channel = channel
        self.visitorID = visitorID
        self.sender = sender
        self.agentID = agentID
        self.clientMessageID = clientMessageID
        self.content = content
    }

    enum CodingKeys: String, CodingKey {
        case seq, channel, sender, text, image, file, suggestions
        case sessionID = "session_id"
        case visitorID = "visitor_id"
        case agentID = "agent_id"
        case clientMessageID = "client_message_id"
        case entryID = "entry_id"
        case groupChoices = "group_choices"
    }

    /// Decodes the wire form.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        sessionID = try container.decode(SessionID.self, forKey: .sessionID)
        seq = try container.decode(Int.self, forKey: .seq)
        channel = try container.decode(String.self, forKey: .channel)
        visitorID = try container.decode(String.self, forKey: .visitorID)
        sender = try container.decode(SenderKind.self, forKey: .sender)
        agentID = try container.decodeIfPresent(AgentID.self, forKey: .agentID)
        clientMessageID = try container.decodeIfPresent(String.self, forKey: .clientMessageID)
        content = try MessageContent.decode(from: container, text: .text, image: .image, file: .file)
        suggestions = try container.decodeIfPresent([BotSuggestion].self, forKey: .suggestions)
        entryID = try container.decodeIfPresent(KnowledgeEntryID.self, forKey: .entryID)
        groupChoices = try container.decodeIfPresent([GroupChoice].self, forKey: .groupChoices)
    }

    /// Encodes the wire form.
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(sessionID, forKey: .sessionID)
        try container.encode(seq, forKey: .seq)
        try container.encode(channel, forKey: .channel)
        try container.encode(visitorID, forKey: .visitorID)
        try container.encode(sender, forKey: .sender)
        try container.encodeIfPresent(agentID, forKey: .agentID)
        try container.encodeIfPresent(clientMessageID, forKey: .clientMessageID)
        try content.encode(to: &container, text: .text, image: .image, file: .file)
        try container.encodeIfPresent(suggestions, forKey: .suggestions)
        try container.encodeIfPresent(entryID, forKey: .entryID)
        try container.encodeIfPresent(groupChoices, forKey: .groupChoices)
    }

    /// Checks the visitor, `seq`, that `agent_id` goes with `sender: agent`, and the content.
    public func validate() throws(ContractError) {
        try validateVisitor()
        try FieldRules.integer(seq, in: 1...FieldRules.maxSafeInteger, field: "seq")
        if sender == .agent, agentID == nil { throw .missingField("agent_id") }
        if sender != .agent, agentID != nil {
            throw .invalidField("agent_id", reason: "must be absent unless `sender` is agent")
        }
        if let clientMessageID { try FieldRules.token(clientMessageID, field: "client_message_id") }
        try content.validate()
        if let suggestions { try BotSuggestion.validate(suggestions, onlyWhen: sender == .bot, condition: "`sender` is bot") }
        if entryID != nil {
            guard sender == .bot else { throw .invalidField("entry_id", reason: "must be absent unless `sender` is bot") }
            guard suggestions == nil else { throw .invalidField("entry_id", reason: "must be absent when `suggestions` is present") }
        }
        if let groupChoices { try GroupChoice.validate(groupChoices, onlyWhen: sender == .bot) }
    }
}

/// `visitor.message` v1 (inbound): a visitor sent text, one image or one file.
public struct VisitorMessage: VisitorScoped {
    /// The entry type.
    public static let eventType = EventType.visitorMessage
    /// The data version.
    public static let version = 1

    /// The channel, e.g. `web` or `wechat`.
    public var channel: String
    /// The visitor's id within the channel, chosen by the connector and stable across sessions.
    public var visitorID: String
    /// The session the producer believes is current (from an earlier event); routing treats it as a hint.
    public var sessionHint: SessionID?
    /// The producer's id for this message; routing accepts one message per (channel, visitor, id).
    public var clientMessageID: String
    /// The text, image or file.
    public var content: MessageContent
    /// What the connector knows about the visitor (`name`, `device`, `page_url`…), shown to agents.
    public var attributes: [String: String]?
    /// The producer's priority for the visitor, 0 (normal) to 9 (most urgent); routing may ignore it.
    public var priority: Int?
    /// The skill group of the entry the widget was opened from (`data-group`, H5 `?group=`), kept on the
    /// session; routing refuses an empty or unknown one with `unknown_group`.
    public var group: String?

    /// Creates the payload.
    public init(
        channel: String, visitorID: String, sessionHint: SessionID? = nil, clientMessageID: String,
        content: MessageContent, attributes: [String: String]? = nil, priority: Int? = nil,
        group: String? = nil
    ) {
        self.channel = channel
        self.visitorID = visitorID
        self.sessionHint = sessionHint
        self.clientMessageID = clientMessageID
        self.content = content
        self.attributes = attributes
        self.priority = priority
        self.group = group
    }

    enum CodingKeys: String, CodingKey {
        case channel, text, image, file, attributes, priority, group
        case visitorID = "visitor_id"
        case sessionHint = "session_hint"
        case clientMessageID = "client_message_id"
    }

    /// Decodes the wire form.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        channel = try container.decode(String.self, forKey: .channel)
        visitorID = try container.decode(String.self, forKey: .visitorID)
        sessionHint = try container.decodeIfPresent(SessionID.self, forKey: .sessionHint)
        clientMessageID = try container.decode(String.self, forKey: .clientMessageID)
        content = try MessageContent.decode(from: container, text: .text, image: .image, file: .file)
        attributes = try container.decodeIfPresent([String: String].self, forKey: .attributes)
        priority = try container.decodeIfPresent(Int.self, forKey: .priority)
        group = try container.decodeIfPresent(String.self, forKey: .group)
    }

    /// Encodes the wire form.
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(channel, forKey: .channel)
        try container.encode(visitorID, forKey: .visitorID)
        try container.encodeIfPresent(sessionHint, forKey: .sessionHint)
        try container.encode(clientMessageID, forKey: .clientMessageID)
        try content.encode(to: &container, text: .text, image: .image, file: .file)
        try container.encodeIfPresent(attributes, forKey: .attributes)
        try container.encodeIfPresent(priority, forKey: .priority)
        try container.encodeIfPresent(group, forKey: .group)
    }

    /// Checks channel, visitor id, client message id, content, attributes and priority.
    public func validate() throws(ContractError) {
        try validateVisitor()
        try FieldRules.token(clientMessageID, field: "client_message_id")
        try content.validate()
        if let attributes { try FieldRules.attributes(attributes) }
        if let priority { try FieldRules.integer(priority, in: 0...9, field: "priority") }
        if let group { try FieldRules.shortText(group, field: "group", maxLength: 64) }
    }
}

/// `session.created` v1 (events): routing opened a session for a visitor (it starts with the bot).
public struct SessionCreated: VisitorScoped {
    /// The entry type.
    public static let eventType = EventType.sessionCreated
    /// The data version.
    public static let version = 1

    /// The new session; connectors may send it back as `session_hint`.
    public var sessionID: SessionID
    /// The session's event sequence number: from 1, one more for every event of the session, whoever caused it.
    public var seq: Int
    /// The channel.
    public var channel: String
    /// The visitor's id within the channel.
    public var visitorID: String
    /// The visitor attributes known when the session opened.
    public var attributes: [String: String]?

    /// Creates the payload.
    public init(
        sessionID: SessionID, seq: Int, channel: String, visitorID: String, attributes: [String: String]? = nil) {
        self.sessionID = sessionID
        self.seq = seq
        self.channel = channel
        self.visitorID = visitorID
        self.attributes = attributes
    }

    enum CodingKeys: String, CodingKey {
        case seq, channel, attributes
        case sessionID = "session_id"
        case visitorID = "visitor_id"
    }

    /// Checks the visitor and the attributes.
    public func validate() throws(ContractError) {
        try validateVisitor()
        try FieldRules.integer(seq, in: 1...FieldRules.maxSafeInteger, field: "seq")
        if let attributes { try FieldRules.attributes(attributes) }
    }
}

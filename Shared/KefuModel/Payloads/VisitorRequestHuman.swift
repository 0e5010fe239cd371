/// `visitor.request_human` v1 (inbound): the visitor pressed "transfer to human" (转人工).
///
/// Transfer keywords and bot failures are detected by routing from `visitor.message`; this entry is
/// only for the explicit button.
public struct VisitorRequestHuman: VisitorScoped {
    /// The entry type.
    public static let eventType = EventType.visitorRequestHuman
    /// The data version.
    public static let version = 1

    /// The channel.
    public var channel: String
    /// The visitor's id within the channel.
    public var visitorID: String
    /// The session the producer believes is current.
    public var sessionHint: SessionID?

    /// Creates the payload.
    public init(channel: String, visitorID: String, sessionHint: SessionID? = nil) {
        self.channel = channel
        self.visitorID = visitorID
        self.sessionHint = sessionHint
    }

    enum CodingKeys: String, CodingKey {
        case channel
        case visitorID = "visitor_id"
        case sessionHint = "session_hint"
    }

    /// Checks channel and visitor id.
    public func validate() throws(ContractError) {
        try validateVisitor()
    }
}

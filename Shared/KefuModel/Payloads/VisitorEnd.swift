/// `visitor.end` v1 (inbound): the visitor pressed the end button (H5 or PC).
///
/// The configured end phrase (用户主动结束语) is detected by routing from `visitor.message`; this
/// entry is only for the button.
public struct VisitorEnd: VisitorScoped {
    /// The entry type.
    public static let eventType = EventType.visitorEnd
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

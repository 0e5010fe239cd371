/// `visitor.refused` v1 (events): routing refused a visitor's message or transfer request without opening a
/// session or queueing anything. Connectors show `prompt` to the visitor; it is neutral on purpose (it does
/// not say why).
public struct VisitorRefused: VisitorScoped {
    /// The entry type.
    public static let eventType = EventType.visitorRefused
    /// The data version.
    public static let version = 1

    /// Why, for connectors and logs (never shown to the visitor).
    public enum Reason: String, WireEnum {
        /// An agent blocked the visitor (黑名单) and the block is in force.
        case blocked
    }

    /// The channel.
    public var channel: String
    /// The visitor's id within the channel.
    public var visitorID: String
    /// The refused message's id, absent for `visitor.request_human`.
    public var clientMessageID: String?
    /// Why.
    public var reason: Reason
    /// The neutral text to show the visitor.
    public var prompt: String

    /// Creates the payload.
    public init(channel: String, visitorID: String, clientMessageID: String? = nil, reason: Reason, prompt: String) {
        self.channel = channel
        self.visitorID = visitorID
        self.clientMessageID = clientMessageID
        self.reason = reason
        self.prompt = prompt
    }

    enum CodingKeys: String, CodingKey {
        case channel, reason, prompt
        case visitorID = "visitor_id"
        case clientMessageID = "client_message_id"
    }

    /// Checks the visitor, the message id and the prompt.
    public func validate() throws(ContractError) {
        try validateVisitor()
        if let clientMessageID { try FieldRules.token(clientMessageID, field: "client_message_id") }
        try FieldRules.text(prompt, field: "prompt", maxLength: FieldRules.maxNoteLength)
    }
}

/// `visitor.feedback` v1 (inbound): the visitor said whether a bot answer helped (有用 / 没用), once per answer.
///
/// `seq` is the `seq` of the bot's `message.accepted` that carries an `entry_id` (an answer from the
/// knowledge base) in the visitor's own session. Routing refuses feedback on anything else
/// (`unknown_answer`) and a second feedback on the same answer (`feedback_repeated`).
public struct VisitorFeedback: VisitorScoped {
    /// The entry type.
    public static let eventType = EventType.visitorFeedback
    /// The data version.
    public static let version = 1

    /// The channel.
    public var channel: String
    /// The visitor's id within the channel.
    public var visitorID: String
    /// The session of the answer.
    public var sessionID: SessionID
    /// The `seq` of the bot answer's `message.accepted`.
    public var seq: Int
    /// `true` for 有用 (useful), `false` for 没用 (not useful).
    public var useful: Bool

    /// Creates the payload.
    public init(channel: String, visitorID: String, sessionID: SessionID, seq: Int, useful: Bool) {
        self.channel = channel
        self.visitorID = visitorID
        self.sessionID = sessionID
        self.seq = seq
        self.useful = useful
    }

    enum CodingKeys: String, CodingKey {
        case channel, seq, useful
        case visitorID = "visitor_id"
        case sessionID = "session_id"
    }

    /// Checks the visitor and the answer's `seq`.
    public func validate() throws(ContractError) {
        try validateVisitor()
        try FieldRules.integer(seq, in: 1...FieldRules.maxSafeInteger, field: "seq")
    }
}

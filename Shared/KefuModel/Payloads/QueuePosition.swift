/// `queue.position` v1 (events): a queued visitor's place changed; sent on every change, and the prompt
/// is meant to be shown to the visitor as is.
public struct QueuePosition: VisitorScoped {
    /// The entry type.
    public static let eventType = EventType.queuePosition
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
    /// 1-based place in the queue.
    public var position: Int
    /// People waiting ahead (normally `position - 1`).
    public var ahead: Int
    /// Estimated wait in seconds; absent while there is no estimate.
    public var etaSeconds: Int?
    /// The configured queue prompt with its variables filled in.
    public var prompt: String

    /// Creates the payload.
    public init(
        sessionID: SessionID, seq: Int, channel: String, visitorID: String, position: Int, ahead: Int,
        etaSeconds: Int? = nil, prompt: String
    ) {
        self.sessionID = sessionID
        self.seq = seq
        self.channel = channel
        self.visitorID = visitorID
        self.position = position
        self.ahead = ahead
        self.etaSeconds = etaSeconds
        self.prompt = prompt
    }

    enum CodingKeys: String, CodingKey {
        case seq, channel, position, ahead, prompt
        case sessionID = "session_id"
        case visitorID = "visitor_id"
        case etaSeconds = "eta_seconds"
    }

    /// Checks the visitor, the counters and the prompt.
    public func validate() throws(ContractError) {
        try validateVisitor()
        try FieldRules.integer(seq, in: 1...FieldRules.maxSafeInteger, field: "seq")
        try FieldRules.integer(position, in: 1...FieldRules.maxSafeInteger, field: "position")
        try FieldRules.integer(ahead, in: 0...FieldRules.maxSafeInteger, field: "ahead")
        if let etaSeconds { try FieldRules.integer(etaSeconds, in: 0...FieldRules.maxSafeInteger, field: "eta_seconds") }
        try FieldRules.text(prompt, field: "prompt")
    }
}

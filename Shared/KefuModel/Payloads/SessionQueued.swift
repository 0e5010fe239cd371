/// `session.queued` v1 (events): a session joined the queue for a human agent.
public struct SessionQueued: VisitorScoped {
    /// The entry type.
    public static let eventType = EventType.sessionQueued
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
    /// Why it was queued.
    public var reason: QueueReason
    /// Queue priority, 0...100; lower is served first, then earlier enqueue time.
    public var priority: Int
    /// The skill group whose queue it joined; absent: the default queue.
    public var group: String?

    /// Creates the payload.
    public init(
        sessionID: SessionID, seq: Int, channel: String, visitorID: String, reason: QueueReason, priority: Int,
        group: String? = nil
    ) {
        self.group = group
        self.sessionID = sessionID
        self.seq = seq
        self.channel = channel
        self.visitorID = visitorID
        self.reason = reason
        self.priority = priority
    }

    enum CodingKeys: String, CodingKey {
        case seq, channel, reason, priority, group
        case sessionID = "session_id"
        case visitorID = "visitor_id"
    }

    /// Checks the visitor and the priority range.
    public func validate() throws(ContractError) {
        try validateVisitor()
        try FieldRules.integer(seq, in: 1...FieldRules.maxSafeInteger, field: "seq")
        try FieldRules.integer(priority, in: 0...100, field: "priority")
    }
}

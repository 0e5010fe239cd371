/// `session.queued` v1 (events): a session joined the queue for a human agent.
public struct SessionQueued: VisitorScoped {
    /// The entry type.
    public static let eventType = EventType.sessionQueued
    /// The data version.
    public static let version = 1

    /// The session.
    public var sessionID: SessionID
    /// The channel.
    public var channel: String
    /// The visitor's id within the channel.
    public var visitorID: String
    /// Why it was queued.
    public var reason: QueueReason
    /// Queue priority, 0...100; lower is served first, then earlier enqueue time.
    public var priority: Int

    /// Creates the payload.
    public init(sessionID: SessionID, channel: String, visitorID: String, reason: QueueReason, priority: Int) {
        self.sessionID = sessionID
        self.channel = channel
        self.visitorID = visitorID
        self.reason = reason
        self.priority = priority
    }

    enum CodingKeys: String, CodingKey {
        case channel, reason, priority
        case sessionID = "session_id"
        case visitorID = "visitor_id"
    }

    /// Checks the visitor and the priority range.
    public func validate() throws(ContractError) {
        try validateVisitor()
        try FieldRules.integer(priority, in: 0...100, field: "priority")
    }
}

/// `session.ended` v1 (events): a session is over. When `rating_invited` is true the connector should
/// offer the 1–5 star rating and send `visitor.rating`.
public struct SessionEnded: VisitorScoped {
    /// The entry type.
    public static let eventType = EventType.sessionEnded
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
    /// Why it ended.
    public var reason: SessionEndReason
    /// The agent serving at the end; required when `reason` is `agent`, absent if no agent was serving.
    public var agentID: AgentID?
    /// Whether the session reached a human agent (it then counts as a human session only).
    public var human: Bool
    /// Whether the visitor is asked for a rating (rating enabled and `human`).
    public var ratingInvited: Bool

    /// Creates the payload.
    public init(
        sessionID: SessionID, seq: Int, channel: String, visitorID: String, reason: SessionEndReason,
        agentID: AgentID? = nil, human: Bool, ratingInvited: Bool
    ) {
        self.sessionID = sessionID
        self.seq = seq
        self.channel = channel
        self.visitorID = visitorID
        self.reason = reason
        self.agentID = agentID
        self.human = human
        self.ratingInvited = ratingInvited
    }

    enum CodingKeys: String, CodingKey {
        case seq, channel, reason, human
        case sessionID = "session_id"
        case visitorID = "visitor_id"
        case agentID = "agent_id"
        case ratingInvited = "rating_invited"
    }

    /// Checks the visitor, that `agent` endings name the agent and that only human sessions invite ratings.
    public func validate() throws(ContractError) {
        try validateVisitor()
        try FieldRules.integer(seq, in: 1...FieldRules.maxSafeInteger, field: "seq")
        if reason == .agent, agentID == nil { throw .missingField("agent_id") }
        if ratingInvited, !human {
            throw .invalidField("rating_invited", reason: "must be false when `human` is false")
        }
    }
}

/// `rating.recorded` v1 (events): routing accepted a visitor's rating (one per human session).
public struct RatingRecorded: VisitorScoped {
    /// The entry type.
    public static let eventType = EventType.ratingRecorded
    /// The data version.
    public static let version = 1

    /// The rated session.
    public var sessionID: SessionID
    /// The session's event sequence number: from 1, one more for every event of the session, whoever caused it.
    public var seq: Int
    /// The channel.
    public var channel: String
    /// The visitor's id within the channel.
    public var visitorID: String
    /// 1 (worst) to 5 (best).
    public var stars: Int
    /// The masked comment, if any.
    public var comment: String?
    /// The agent serving at the end of the session.
    public var agentID: AgentID?

    /// Creates the payload.
    public init(
        sessionID: SessionID, seq: Int, channel: String, visitorID: String, stars: Int, comment: String? = nil,
        agentID: AgentID? = nil
    ) {
        self.sessionID = sessionID
        self.seq = seq
        self.channel = channel
        self.visitorID = visitorID
        self.stars = stars
        self.comment = comment
        self.agentID = agentID
    }

    enum CodingKeys: String, CodingKey {
        case seq, channel, stars, comment
        case sessionID = "session_id"
        case visitorID = "visitor_id"
        case agentID = "agent_id"
    }

    /// Checks the visitor, stars in 1...5 and the comment length.
    public func validate() throws(ContractError) {
        try validateVisitor()
        try FieldRules.integer(seq, in: 1...FieldRules.maxSafeInteger, field: "seq")
        try FieldRules.stars(stars)
        if let comment { try FieldRules.shortText(comment, field: "comment", maxLength: FieldRules.maxCommentLength) }
    }
}

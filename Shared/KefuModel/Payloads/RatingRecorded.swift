/// `rating.recorded` v1 (events): routing accepted a visitor's rating (one per human session).
public struct RatingRecorded: VisitorScoped {
    /// The entry type.
    public static let eventType = EventType.ratingRecorded
    /// The data version.
    public static let version = 1

    /// The rated session.
    public var sessionID: SessionID
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
        sessionID: SessionID, channel: String, visitorID: String, stars: Int, comment: String? = nil,
        agentID: AgentID? = nil
    ) {
        self.sessionID = sessionID
        self.channel = channel
        self.visitorID = visitorID
        self.stars = stars
        self.comment = comment
        self.agentID = agentID
    }

    enum CodingKeys: String, CodingKey {
        case channel, stars, comment
        case sessionID = "session_id"
        case visitorID = "visitor_id"
        case agentID = "agent_id"
    }

    /// Checks the visitor, stars in 1...5 and the comment length.
    public func validate() throws(ContractError) {
        try validateVisitor()
        try FieldRules.stars(stars)
        if let comment { try FieldRules.shortText(comment, field: "comment", maxLength: FieldRules.maxCommentLength) }
    }
}

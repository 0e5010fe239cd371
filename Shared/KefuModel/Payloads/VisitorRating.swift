/// `visitor.rating` v1 (inbound): the visitor rated a human session (满意度评价), once per session.
public struct VisitorRating: VisitorScoped {
    /// The entry type.
    public static let eventType = EventType.visitorRating
    /// The data version.
    public static let version = 1

    /// The channel.
    public var channel: String
    /// The visitor's id within the channel.
    public var visitorID: String
    /// The rated session (from `session.ended`).
    public var sessionID: SessionID
    /// 1 (worst) to 5 (best).
    public var stars: Int
    /// Optional free text, at most ``FieldRules/maxCommentLength`` characters.
    public var comment: String?

    /// Creates the payload.
    public init(channel: String, visitorID: String, sessionID: SessionID, stars: Int, comment: String? = nil) {
        self.channel = channel
        self.visitorID = visitorID
        self.sessionID = sessionID
        self.stars = stars
        self.comment = comment
    }

    enum CodingKeys: String, CodingKey {
        case channel, stars, comment
        case visitorID = "visitor_id"
        case sessionID = "session_id"
    }

    /// Checks channel, visitor id, stars in 1...5 and the comment length.
    public func validate() throws(ContractError) {
        try validateVisitor()
        try FieldRules.stars(stars)
        if let comment { try FieldRules.shortText(comment, field: "comment", maxLength: FieldRules.maxCommentLength) }
    }
}

/// `feedback.recorded` v1 (events): routing accepted a visitor's 有用 / 没用 on a bot answer (one per answer).
public struct FeedbackRecorded: VisitorScoped {
    /// The entry type.
    public static let eventType = EventType.feedbackRecorded
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
    /// The `seq` of the bot answer the feedback is about.
    public var answerSeq: Int
    /// The `seq` of the visitor's question that answer answered.
    public var questionSeq: Int
    /// The knowledge entry that answered.
    public var entryID: KnowledgeEntryID
    /// `true` for 有用 (useful), `false` for 没用 (not useful).
    public var useful: Bool

    /// Creates the payload.
    public init(
        sessionID: SessionID, seq: Int, channel: String, visitorID: String, answerSeq: Int, questionSeq: Int,
        entryID: KnowledgeEntryID, useful: Bool
    ) {
        self.sessionID = sessionID
        self.seq = seq
        self.channel = channel
        self.visitorID = visitorID
        self.answerSeq = answerSeq
        self.questionSeq = questionSeq
        self.entryID = entryID
        self.useful = useful
    }

    enum CodingKeys: String, CodingKey {
        case seq, channel, useful
        case sessionID = "session_id"
        case visitorID = "visitor_id"
        case answerSeq = "answer_seq"
        case questionSeq = "question_seq"
        case entryID = "entry_id"
    }

    /// Checks the visitor and the three sequence numbers (the question and the answer come before the feedback).
    public func validate() throws(ContractError) {
        try validateVisitor()
        try FieldRules.integer(seq, in: 1...FieldRules.maxSafeInteger, field: "seq")
        try FieldRules.integer(answerSeq, in: 1...FieldRules.maxSafeInteger, field: "answer_seq")
        try FieldRules.integer(questionSeq, in: 1...FieldRules.maxSafeInteger, field: "question_seq")
        guard questionSeq < answerSeq else {
            throw .invalidField("question_seq", reason: "must be less than `answer_seq`")
        }
        guard answerSeq < seq else { throw .invalidField("answer_seq", reason: "must be less than `seq`") }
    }
}

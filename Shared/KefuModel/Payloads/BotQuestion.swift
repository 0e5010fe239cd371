/// `bot.question` v1 (requests:knowledge): routing asks knowledge to answer a visitor's message.
///
/// The envelope's `reply_to` names the stream for the `bot.answer` (routing uses its commands stream);
/// the answer's `correlation_id` is this entry's `id`.
public struct BotQuestion: EventPayload {
    /// The entry type.
    public static let eventType = EventType.botQuestion
    /// The data version.
    public static let version = 1

    /// The session.
    public var sessionID: SessionID
    /// The `seq` of the visitor's message in `message.accepted`.
    public var questionSeq: Int
    /// The visitor's channel (answers may differ per channel).
    public var channel: String
    /// The masked question text.
    public var text: String

    /// Creates the payload.
    public init(sessionID: SessionID, questionSeq: Int, channel: String, text: String) {
        self.sessionID = sessionID
        self.questionSeq = questionSeq
        self.channel = channel
        self.text = text
    }

    enum CodingKeys: String, CodingKey {
        case channel, text
        case sessionID = "session_id"
        case questionSeq = "question_seq"
    }

    /// Checks the sequence number, channel and text.
    public func validate() throws(ContractError) {
        try FieldRules.integer(questionSeq, in: 1...FieldRules.maxSafeInteger, field: "question_seq")
        try FieldRules.channel(channel)
        try FieldRules.text(text, field: "text")
    }
}

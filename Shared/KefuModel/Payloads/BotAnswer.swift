/// `bot.answer` v1 (to the question's `reply_to`, normally commands): knowledge's answer to a
/// `bot.question`, with `correlation_id` set to the question's `id`.
///
/// Routing turns an answer into `message.accepted` (sender `bot`); an unanswered question counts toward
/// the "bot failed N times" transfer condition and gets the configured fallback prompt.
public struct BotAnswer: EventPayload {
    /// The entry type.
    public static let eventType = EventType.botAnswer
    /// The data version.
    public static let version = 1

    /// The session.
    public var sessionID: SessionID
    /// The `seq` of the visitor's message that was asked.
    public var questionSeq: Int
    /// Whether the bot was confident enough to answer.
    public var answered: Bool
    /// The answer; present exactly when `answered` is true.
    public var text: String?
    /// The knowledge-base entry that answered; only when `answered` is true.
    public var entryID: KnowledgeEntryID?
    /// The confidence (0–1) of the best entry, when there was a candidate: what `KEFU_KNOWLEDGE_THRESHOLD` is compared with.
    public var score: Double?
    /// 猜你想问: when not answered, up to 3 knowledge-base questions close enough to offer the visitor as
    /// choices, best first (asking one of them asks that question). Optional, added in version 1.
    public var suggestions: [BotSuggestion]?

    /// Creates the payload.
    public init(
        sessionID: SessionID, questionSeq: Int, answered: Bool, text: String? = nil,
        entryID: KnowledgeEntryID? = nil, score: Double? = nil, suggestions: [BotSuggestion]? = nil
    ) {
        self.suggestions = suggestions
        self.sessionID = sessionID
        self.questionSeq = questionSeq
        self.answered = answered
        self.text = text
        self.entryID = entryID
        self.score = score
    }

    enum CodingKeys: String, CodingKey {
        case answered, text, score, suggestions
        case sessionID = "session_id"
        case questionSeq = "question_seq"
        case entryID = "entry_id"
    }

    /// Checks that `text` is present exactly when `answered`, the sequence number and the score.
    public func validate() throws(ContractError) {
        try FieldRules.integer(questionSeq, in: 1...FieldRules.maxSafeInteger, field: "question_seq")
        if answered {
            guard let text else { throw .missingField("text") }
            try FieldRules.text(text, field: "text")
        } else {
            guard text == nil else { throw .invalidField("text", reason: "must be absent when `answered` is false") }
            guard entryID == nil else {
                throw .invalidField("entry_id", reason: "must be absent when `answered` is false")
            }
        }
        if let suggestions { try BotSuggestion.validate(suggestions, onlyWhen: !answered, condition: "`answered` is false") }
        if let score, !(score.isFinite && (0...1).contains(score)) {
            throw .invalidField("score", reason: "must be a confidence between 0 and 1, got \(score)")
        }
    }
}

/// One 猜你想问 choice of a `bot.answer`: a knowledge-base entry and its standard question.
public struct BotSuggestion: Codable, Hashable, Sendable {
    /// At most this many choices in one answer.
    public static let maximumCount = 3
    /// The entry.
    public var entryID: KnowledgeEntryID
    /// Its standard question, as shown to the visitor.
    public var question: String

    /// Creates a choice.
    public init(entryID: KnowledgeEntryID, question: String) {
        self.entryID = entryID
        self.question = question
    }

    enum CodingKeys: String, CodingKey {
        case question
        case entryID = "entry_id"
    }

    /// Checks a `suggestions` field: allowed only when `allowed`, 1 to ``maximumCount`` items, texts.
    static func validate(_ suggestions: [BotSuggestion], onlyWhen allowed: Bool, condition: String) throws(ContractError) {
        guard allowed else { throw .invalidField("suggestions", reason: "must be absent unless \(condition)") }
        guard (1...maximumCount).contains(suggestions.count) else {
            throw .invalidField("suggestions", reason: "must hold 1 to \(maximumCount) items, got \(suggestions.count)")
        }
        for suggestion in suggestions {
            try FieldRules.text(suggestion.question, field: "suggestions.question")
        }
    }
}

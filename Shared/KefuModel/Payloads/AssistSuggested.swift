/// One suggested answer of smart assist.
public struct AssistSuggestion: Codable, Sendable, Equatable {
    /// The knowledge entry.
    public var entryID: KnowledgeEntryID
    /// The entry's standard question.
    public var question: String
    /// The answer the agent may send.
    public var text: String
    /// The confidence, 0–1.
    public var score: Double

    /// Creates a suggestion.
    public init(entryID: KnowledgeEntryID, question: String, text: String, score: Double) {
        self.entryID = entryID
        self.question = question
        self.text = text
        self.score = score
    }

    enum CodingKeys: String, CodingKey {
        case question, text, score
        case entryID = "entry_id"
    }
}

/// `assist.suggested` v1 (events, written by knowledge): suggestions for the agent serving a session (智能辅助),
/// one entry per visitor question.
public struct AssistSuggested: EventPayload {
    /// The entry type.
    public static let eventType = EventType.assistSuggested
    /// The data version.
    public static let version = 1

    /// The session.
    public var sessionID: SessionID
    /// The `seq` of the visitor's question.
    public var questionSeq: Int
    /// The agent serving the session when the question came.
    public var agentID: AgentID
    /// At most 3 suggestions, best first; empty when nothing matched.
    public var suggestions: [AssistSuggestion]

    /// Creates the payload.
    public init(sessionID: SessionID, questionSeq: Int, agentID: AgentID, suggestions: [AssistSuggestion]) {
        self.sessionID = sessionID
        self.questionSeq = questionSeq
        self.agentID = agentID
        self.suggestions = suggestions
    }

    enum CodingKeys: String, CodingKey {
        case suggestions
        case sessionID = "session_id"
        case questionSeq = "question_seq"
        case agentID = "agent_id"
    }

    /// Checks the sequence number, the count and each suggestion.
    public func validate() throws(ContractError) {
        try FieldRules.integer(questionSeq, in: 1...FieldRules.maxSafeInteger, field: "question_seq")
        guard suggestions.count <= 3 else {
            throw .invalidField("suggestions", reason: "must have at most 3 items, got \(suggestions.count)")
        }
        for (index, suggestion) in suggestions.enumerated() {
            try FieldRules.text(suggestion.question, field: "suggestions[\(index)].question")
            try FieldRules.text(suggestion.text, field: "suggestions[\(index)].text")
            guard suggestion.score >= 0, suggestion.score <= 1 else {
                throw .invalidField("suggestions[\(index)].score", reason: "must be between 0 and 1")
            }
        }
    }
}

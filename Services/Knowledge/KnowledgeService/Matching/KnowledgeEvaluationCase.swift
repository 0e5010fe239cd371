/// A labelled visitor phrasing used to evaluate matching quality.
public struct KnowledgeEvaluationCase: Hashable, Sendable, Codable {
    /// Case identifier.
    public var id: String
    /// What the visitor typed.
    public var text: String
    /// The entry that answers it, or nil when the knowledge base has no answer.
    public var expectedEntryID: String?
    /// Free-form phrasing style label (paraphrase, typo, mixed, …) used for breakdowns.
    public var style: String

    /// Creates a case.
    public init(id: String, text: String, expectedEntryID: String?, style: String = "") {
        self.id = id
        self.text = text
        self.expectedEntryID = expectedEntryID
        self.style = style
    }
}

/// A case the matcher got wrong at the evaluated threshold.
public struct KnowledgeEvaluationFailure: Hashable, Sendable {
    /// The failing case.
    public var evaluationCase: KnowledgeEvaluationCase
    /// The answer returned, or nil when the query was left unanswered.
    public var answer: KnowledgeMatch?
    /// Rank (1-based) of the expected entry in the top results ignoring the threshold, if present.
    public var expectedRank: Int?
}

/// Share of correct outcomes for one phrasing style.
public struct KnowledgeStyleFigure: Hashable, Sendable {
    /// Correct outcomes (right entry answered, or null case left unanswered).
    public var correct: Int
    /// Cases of this style.
    public var total: Int
}

/// Quality figures of one evaluation run.
public struct KnowledgeEvaluationReport: Sendable {
    /// Confidence threshold used for answers.
    public var threshold: Double
    /// Cases with an expected entry.
    public var answerableCount: Int
    /// Cases without an expected entry.
    public var unanswerableCount: Int
    /// Over answerable cases: share whose thresholded answer is the expected entry.
    public var top1Accuracy: Double
    /// Over answerable cases: mean reciprocal rank of the expected entry in the top results, ignoring the threshold.
    public var meanReciprocalRank: Double
    /// Over answerable cases: share left unanswered.
    public var falseUnansweredRate: Double
    /// Over answerable cases: share answered with a wrong entry.
    public var wrongAnswerRate: Double
    /// Over unanswerable cases: share left unanswered.
    public var correctUnansweredRate: Double
    /// Over answerable cases not answered correctly: share offered choices (猜你想问) that include the expected entry.
    public var suggestedRecoveryRate: Double = 0
    /// Over unanswerable cases: share offered choices (a soft failure: nothing is asserted as an answer).
    public var suggestedForUnanswerableRate: Double = 0
    /// Correct outcomes per style label.
    public var byStyle: [String: KnowledgeStyleFigure]
    /// Every case with a wrong outcome.
    public var failures: [KnowledgeEvaluationFailure]
}

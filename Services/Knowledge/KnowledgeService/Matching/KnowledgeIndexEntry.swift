/// The part of a knowledge entry the matcher needs.
public struct KnowledgeIndexEntry: Hashable, Sendable, Codable {
    /// Stable entry identifier (UUID string or stringified integer).
    public var id: String
    /// The standard question.
    public var question: String
    /// Alternative phrasings of the standard question.
    public var similarQuestions: [String]
    /// Disabled entries are kept out of the index and never returned.
    public var enabled: Bool

    /// Creates an entry.
    public init(id: String, question: String, similarQuestions: [String] = [], enabled: Bool = true) {
        self.id = id
        self.question = question
        self.similarQuestions = similarQuestions
        self.enabled = enabled
    }

    /// The standard question followed by the similar questions, blanks removed.
    public var allQuestions: [String] {
        ([question] + similarQuestions).filter { !$0.allSatisfy(\.isWhitespace) }
    }
}

/// One ranked result of a knowledge search.
public struct KnowledgeMatch: Hashable, Sendable {
    /// Identifier of the matched entry.
    public var entryID: String
    /// Raw BM25 score of the best-matching question (unbounded, comparable within one query only).
    public var score: Double
    /// Normalized match quality in 0…1, comparable across queries; compare with a threshold.
    public var confidence: Double
    /// The entry question (standard or similar) that matched best.
    public var matchedQuestion: String
    /// Share (0…1) of the query's weight found in the matched question.
    public var queryCoverage: Double
    /// Share (0…1) of the matched question's weight found in the query.
    public var questionCoverage: Double
    /// 0…1: how much rare vocabulary matched (grows with the BM25 score).
    public var evidence: Double = 0
    /// 0…1: weight of the heaviest query word the matched question lacks although other entries use it.
    public var unmatchedWordShare: Double = 0
    /// 0…1: weight of the heaviest query word the matched question lacks, whether or not other entries use it.
    public var unmatchedAnyWordShare: Double = 0
    /// 0…1: share of the query's weight found in any question of the entry.
    public var entryCoverage: Double = 0

    /// Creates a match.
    public init(entryID: String, score: Double, confidence: Double, matchedQuestion: String, queryCoverage: Double = 0, questionCoverage: Double = 0) {
        self.entryID = entryID
        self.score = score
        self.confidence = confidence
        self.matchedQuestion = matchedQuestion
        self.queryCoverage = queryCoverage
        self.questionCoverage = questionCoverage
    }
}

/// One entry as the matcher sees it: its id and every question that should find it.
struct MatcherEntry: Sendable, Equatable {
    /// The entry id (lowercase UUID).
    var id: String
    /// The standard question.
    var question: String
    /// The similar questions.
    var similarQuestions: [String]
}

/// One ranked candidate of a search.
struct MatcherHit: Sendable, Equatable {
    /// The entry id (lowercase UUID).
    var entryID: String
    /// The engine's raw score (larger is better, not bounded).
    var score: Double
    /// Confidence 0…1, compared with the configured thresholds.
    var confidence: Double
}

/// What the service needs from a matching engine: an in-memory index updated one entry at a time.
/// It is a value type mutated under ``KnowledgeIndex``'s lock.
protocol KnowledgeMatcher: Sendable {
    /// Inserts or replaces an entry.
    mutating func upsert(_ entry: MatcherEntry) throws
    /// Removes an entry; nothing happens when it is not indexed.
    mutating func remove(entryID: String)
    /// Up to `limit` candidates, best first (by confidence).
    func search(_ text: String, limit: Int) -> [MatcherHit]
    /// How many entries are indexed.
    var count: Int { get }
}

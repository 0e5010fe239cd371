/// What the bot does with a visitor's question.
public enum KnowledgeDecision: Hashable, Sendable {
    /// Confident enough: answer with this entry.
    case answer(KnowledgeMatch)
    /// 猜你想问: not confident enough to answer, but these entries (best first, at most
    /// ``KnowledgeBM25Configuration/suggestionCount``) are close enough to offer as choices.
    case suggest([KnowledgeMatch])
    /// Nothing close: no answer.
    case none
}

extension KnowledgeBM25Index {
    /// The bot's decision for `query`: ``KnowledgeDecision/answer(_:)`` at or above `threshold` (default
    /// ``KnowledgeBM25Configuration/answerThreshold``); otherwise ``KnowledgeDecision/suggest(_:)`` with the
    /// most confident candidates at or above `suggestionThreshold` (default
    /// ``KnowledgeBM25Configuration/suggestionThreshold``); otherwise ``KnowledgeDecision/none``.
    public func decide(_ query: String, threshold: Double? = nil, suggestionThreshold: Double? = nil) -> KnowledgeDecision {
        decideWithBest(query, threshold: threshold, suggestionThreshold: suggestionThreshold).decision
    }

    /// ``decide(_:threshold:suggestionThreshold:)`` and the best-scored match (what `search(query, limit: 1)`
    /// returns: the ranking is a strict order, so the first of a longer list is the same), from one search.
    public func decideWithBest(
        _ query: String, threshold: Double? = nil, suggestionThreshold: Double? = nil
    ) -> (decision: KnowledgeDecision, best: KnowledgeMatch?) {
        let ranked = search(query, limit: max(configuration.answerCandidates, configuration.suggestionCount * 2))
        return (decide(from: ranked, threshold: threshold, suggestionThreshold: suggestionThreshold), ranked.first)
    }

    /// ``decide(_:threshold:suggestionThreshold:)`` over already ranked matches.
    func decide(from ranked: [KnowledgeMatch], threshold: Double?, suggestionThreshold: Double?) -> KnowledgeDecision {
        if let answer = selectAnswer(from: ranked, threshold: threshold) { return .answer(answer) }
        let minimum = min(suggestionThreshold ?? configuration.suggestionThreshold, threshold ?? configuration.answerThreshold)
        let choices = ranked.filter { $0.confidence >= minimum }
            .sorted { $0.confidence > $1.confidence }
            .prefix(configuration.suggestionCount)
        return choices.isEmpty ? .none : .suggest(Array(choices))
    }
}

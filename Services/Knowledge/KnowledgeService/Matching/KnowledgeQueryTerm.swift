/// A distinct query token with its interned id (nil when unknown) and weights.
struct KnowledgeQueryTerm: Sendable {
    let text: String
    let id: Int32?
    /// Token-kind weight times inverse entry frequency, used for BM25.
    let weight: Double
    /// Weight inside the coverage confidence.
    let coverageWeight: Double
}

/// A query prepared for scoring: its distinct tokens in first-occurrence order.
struct KnowledgeAnalyzedQuery: Sendable {
    let terms: [KnowledgeQueryTerm]
    let totalCoverageWeight: Double
}

extension KnowledgeBM25Index {
    func analyze(_ query: String) -> KnowledgeAnalyzedQuery {
        var seen = Set<String>()
        let queryTerms = tokenizer.tokenize(query).compactMap { token -> KnowledgeQueryTerm? in
            guard seen.insert(token.text).inserted else { return nil }
            let id = terms.id(of: token.text)
            let weight = configuration.weight(of: token.kind) * inverseFrequency(of: id)
            return KnowledgeQueryTerm(
                text: token.text, id: id, weight: weight,
                coverageWeight: coverageWeight(of: token.kind, weight: weight)
            )
        }
        let total = queryTerms.reduce(0) { $0 + $1.coverageWeight }
        return KnowledgeAnalyzedQuery(terms: queryTerms, totalCoverageWeight: total)
    }

    /// Weight of a token inside the coverage confidence.
    func coverageWeight(of kind: KnowledgeTokenKind, weight: Double) -> Double {
        kind == .cjkBigram ? weight * configuration.coverageBigramFactor : weight
    }
}

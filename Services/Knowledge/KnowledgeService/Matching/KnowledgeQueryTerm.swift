/// A distinct query token with its interned id (nil when unknown) and weights.
struct KnowledgeQueryTerm: Sendable {
    let text: String
    let id: Int32?
    /// Token-kind weight times inverse entry frequency, used for BM25.
    let weight: Double
    /// Weight inside the coverage confidence.
    let coverageWeight: Double
    /// A dictionary word or a Latin word (what the near-miss feature counts).
    var isWord = false
}

/// A query prepared for scoring: its distinct tokens in first-occurrence order.
struct KnowledgeAnalyzedQuery: Sendable {
    let terms: [KnowledgeQueryTerm]
    let totalCoverageWeight: Double
}

extension KnowledgeBM25Index {
    /// Tokenizes the query; with ``KnowledgeBM25Configuration/questionFocus`` a long message's clauses are
    /// weighed (greetings dropped, story clauses lowered) and a term keeps its highest clause weight.
    func analyze(_ query: String) -> KnowledgeAnalyzedQuery {
        let clauses = configuration.questionFocus
            ? KnowledgeQuestionFocus.clauses(
                of: query, minimumLength: configuration.questionFocusMinimumLength,
                storyWeight: configuration.storyClauseWeight)
            : [(query, 1.0)]
        var positionByText: [String: Int] = [:]
        var tokens: [(token: KnowledgeToken, factor: Double)] = []
        for (clause, factor) in clauses {
            for token in tokenizer.tokenize(clause) {
                if let position = positionByText[token.text] {
                    tokens[position].factor = max(tokens[position].factor, factor)
                } else {
                    positionByText[token.text] = tokens.count
                    tokens.append((token, factor))
                }
            }
        }
        let queryTerms = tokens.map { token, factor -> KnowledgeQueryTerm in
            let id = terms.id(of: token.text)
            let weight = configuration.weight(of: token.kind) * inverseFrequency(of: id)
            return KnowledgeQueryTerm(
                text: token.text, id: id, weight: weight,
                coverageWeight: coverageWeight(of: token.kind, weight: weight) * factor,
                isWord: token.kind == .cjkWord || token.kind == .word
            )
        }
        let total = queryTerms.reduce(0) { $0 + $1.coverageWeight }
        return KnowledgeAnalyzedQuery(terms: queryTerms, totalCoverageWeight: total)
    }

    /// Weight of a token inside the coverage confidence.
    func coverageWeight(of kind: KnowledgeTokenKind, weight: Double) -> Double {
        kind == .cjkBigram || kind == .pinyin ? weight * configuration.coverageBigramFactor : weight
    }
}

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
    /// At least ``KnowledgeBM25Configuration/questionFocusMinimumLength`` characters: a message that names many
    /// things around its question, so an unmatched word is no sign of a near-miss.
    var isLong = false
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
        let translations = configuration.englishCoverage ? unusedTranslations(of: tokens.map(\.token)) : []
        let queryTerms = tokens.map { token, factor -> KnowledgeQueryTerm in
            let id = terms.id(of: token.text)
            let weight = configuration.weight(of: token.kind) * inverseFrequency(of: id)
            var counted = translations.contains(token.text) ? 0.0 : 1.0
            if counted > 0, token.kind == .word, id == nil, tokenizer.features.contains(.englishLexicon) {
                counted = configuration.untranslatedWordCoverage
            }
            return KnowledgeQueryTerm(
                text: token.text, id: id, weight: weight,
                coverageWeight: coverageWeight(of: token.kind, weight: weight) * factor * counted,
                isWord: token.kind == .cjkWord || token.kind == .word || token.kind == .translation
            )
        }
        let total = queryTerms.reduce(0) { $0 + $1.coverageWeight }
        return KnowledgeAnalyzedQuery(
            terms: queryTerms, totalCoverageWeight: total, isLong: query.count >= configuration.questionFocusMinimumLength)
    }

    /// Tokens that only stand for an English word of the query and mean nothing to this knowledge base: the
    /// tokens of a glossary expansion or CC-CEDICT translation that no entry uses (an unused sense of an ambiguous
    /// word), and the English word itself when no entry uses it but a translation is known. They do not count
    /// against the coverage.
    func unusedTranslations(of tokens: [KnowledgeToken]) -> Set<String> {
        var unused = Set<String>()
        for token in tokens where token.kind == .translation && terms.id(of: token.text) == nil {
            unused.insert(token.text)
        }
        var previous: String?
        for token in tokens where token.kind == .word {
            defer { previous = token.text }
            if isTranslationKnown(translations(of: token.text), unused: &unused), terms.id(of: token.text) == nil {
                unused.insert(token.text)
            }
            guard let previous, tokenizer.features.contains(.englishLexicon) else { continue }
            var phrase = tokenizer.translationCandidates(of: previous + "_" + token.text) ?? []
            if let joined = tokenizer.joinedWord(previous, token.text) { phrase += translations(of: joined) + [joined] }
            if isTranslationKnown(phrase, unused: &unused) {
                for word in [previous, token.text] where terms.id(of: word) == nil { unused.insert(word) }
            }
        }
        return unused
    }

    /// The token texts that stand for an English word: its glossary expansion's, or else its CC-CEDICT candidates.
    private func translations(of word: String) -> [String] {
        if let expansion = tokenizer.lexicon.glossary[word] { return tokenizer.tokenize(expansion).map(\.text) }
        return tokenizer.translationCandidates(of: word) ?? []
    }

    /// True when an entry uses one of `texts`; the others are added to `unused`.
    private func isTranslationKnown(_ texts: [String], unused: inout Set<String>) -> Bool {
        var known = false
        for text in texts {
            if terms.id(of: text) == nil { unused.insert(text) } else { known = true }
        }
        return known
    }

    /// Weight of a token inside the coverage confidence.
    func coverageWeight(of kind: KnowledgeTokenKind, weight: Double) -> Double {
        kind == .cjkBigram || kind == .pinyin ? weight * configuration.coverageBigramFactor : weight
    }
}

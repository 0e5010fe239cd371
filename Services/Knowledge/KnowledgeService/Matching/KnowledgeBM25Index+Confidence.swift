import Foundation

/// Coverage of a query by a question and the resulting confidence.
struct KnowledgeConfidence: Sendable {
    var value: Double
    var queryCoverage: Double
    var questionCoverage: Double
    /// `1 - exp(-score / (evidenceScale * maxIDF))`: the amount of rare vocabulary matched.
    var evidence: Double = 0
    /// Weight (over the largest possible) of the heaviest query word (dictionary or Latin) that the question
    /// lacks although other entries use it.
    var unmatchedWordShare: Double = 0
    /// Weight (over the largest possible) of the heaviest query word the question lacks, whether or not other
    /// entries use it: the near-miss sign (the visitor asks about something the entry does not mention). 0 for
    /// long messages (``KnowledgeAnalyzedQuery/isLong``), which name many things around their question.
    var unmatchedAnyWordShare: Double = 0
    /// Share of the query's weight found in any question of the matched entry (not only the best one).
    var entryCoverage: Double = 0
}

extension KnowledgeBM25Index {
    /// Confidence of `question` answering `query`, per ``KnowledgeBM25Configuration/confidenceModel``.
    func confidence(query: KnowledgeAnalyzedQuery, slot: Int32, question: String, score: Double) -> KnowledgeConfidence {
        var result = coverage(query: query, question: question)
        result.entryCoverage = entryCoverage(query: query, slot: slot)
        let maxIDF = inverseFrequency(of: nil)
        switch configuration.confidenceModel {
        case .coverage(let beta):
            result.value = fMeasure(result, beta: beta)
        case .coverageAndEvidence(let beta, let share, let scale):
            result.evidence = 1 - exp(-score / (scale * maxIDF))
            result.value = min(max((1 - share) * fMeasure(result, beta: beta) + share * result.evidence, 0), 1)
        case .logistic(let calibration):
            result.evidence = 1 - exp(-score / (calibration.evidenceScale * maxIDF))
            result.value = calibration.probability(result)
        }
        return result
    }

    private func fMeasure(_ coverage: KnowledgeConfidence, beta: Double) -> Double {
        let (precision, recall) = (coverage.queryCoverage, coverage.questionCoverage)
        guard precision > 0, recall > 0 else { return 0 }
        let betaSquared = beta * beta
        return min((1 + betaSquared) * precision * recall / (betaSquared * precision + recall), 1)
    }

    private func coverage(query: KnowledgeAnalyzedQuery, question: String) -> KnowledgeConfidence {
        var questionWeights: [String: Double] = [:]
        for token in tokenizer.tokenize(question) where questionWeights[token.text] == nil {
            let weight = configuration.weight(of: token.kind) * inverseFrequency(of: terms.id(of: token.text))
            questionWeights[token.text] = coverageWeight(of: token.kind, weight: weight)
        }
        let questionTotal = questionWeights.values.reduce(0, +)
        var shared = 0.0
        var words = 0.0, unmatchedWords = 0.0, unmatchedAny = 0.0
        for term in query.terms {
            let matched = questionWeights[term.text] != nil
            if let weight = questionWeights[term.text] { shared += weight }
            if term.isWord {
                words += term.coverageWeight
                if !matched, term.id != nil { unmatchedWords = max(unmatchedWords, term.coverageWeight) }
                if !matched { unmatchedAny = max(unmatchedAny, term.coverageWeight) }
            }
        }
        let queryCoverage = query.totalCoverageWeight > 0 ? min(shared / query.totalCoverageWeight, 1) : 0
        let questionCoverage = questionTotal > 0 ? min(shared / questionTotal, 1) : 0
        let largest = configuration.dictionaryWordWeight * inverseFrequency(of: nil)
        var result = KnowledgeConfidence(
            value: 0, queryCoverage: queryCoverage, questionCoverage: questionCoverage,
            unmatchedWordShare: words > 0 ? min(unmatchedWords / largest, 1) : 0)
        result.unmatchedAnyWordShare = words > 0 && !query.isLong ? min(unmatchedAny / largest, 1) : 0
        return result
    }

    /// Share of the query's weight found in any question of the entry.
    private func entryCoverage(query: KnowledgeAnalyzedQuery, slot: Int32) -> Double {
        guard query.totalCoverageWeight > 0 else { return 0 }
        var entryTerms = Set<String>()
        for question in store.questionsOfSlot[Int(slot)] {
            for token in tokenizer.tokenize(question) { entryTerms.insert(token.text) }
        }
        var shared = 0.0
        for term in query.terms where entryTerms.contains(term.text) {
            shared += term.coverageWeight
        }
        return min(shared / query.totalCoverageWeight, 1)
    }
}

import Foundation

/// Coverage of a query by a question and the resulting confidence.
struct KnowledgeConfidence: Sendable {
    var value: Double
    var queryCoverage: Double
    var questionCoverage: Double
}

extension KnowledgeBM25Index {
    /// Confidence of `question` answering `query`, per ``KnowledgeBM25Configuration/confidenceModel``.
    func confidence(query: KnowledgeAnalyzedQuery, question: String, score: Double) -> KnowledgeConfidence {
        var result = coverage(query: query, question: question)
        switch configuration.confidenceModel {
        case .coverage(let beta):
            result.value = fMeasure(result, beta: beta)
        case .coverageAndEvidence(let beta, let share, let scale):
            let evidence = 1 - exp(-score / (scale * inverseFrequency(of: nil)))
            result.value = min(max((1 - share) * fMeasure(result, beta: beta) + share * evidence, 0), 1)
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
        for term in query.terms {
            if let weight = questionWeights[term.text] { shared += weight }
        }
        let queryCoverage = query.totalCoverageWeight > 0 ? min(shared / query.totalCoverageWeight, 1) : 0
        let questionCoverage = questionTotal > 0 ? min(shared / questionTotal, 1) : 0
        return KnowledgeConfidence(value: 0, queryCoverage: queryCoverage, questionCoverage: questionCoverage)
    }
}

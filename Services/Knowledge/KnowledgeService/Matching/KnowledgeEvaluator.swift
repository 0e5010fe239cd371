/// Computes top-1 accuracy, MRR and unanswered rates of an index over labelled phrasings.
public enum KnowledgeEvaluator {
    /// Evaluates `cases` at each threshold, searching every case only once.
    /// MRR considers the expected entry's rank within the first `rankDepth` results.
    public static func evaluate(
        _ index: KnowledgeBM25Index,
        cases: [KnowledgeEvaluationCase],
        thresholds: [Double],
        rankDepth: Int = 10
    ) -> [KnowledgeEvaluationReport] {
        let depth = max(rankDepth, index.configuration.answerCandidates, index.configuration.suggestionCount * 2)
        let results = cases.map { index.search($0.text, limit: depth) }
        return thresholds.map { threshold in
            report(index: index, cases: cases, results: results, threshold: threshold, rankDepth: rankDepth)
        }
    }

    /// Evaluates `cases` at one threshold (default: the index's configured threshold).
    public static func evaluate(
        _ index: KnowledgeBM25Index,
        cases: [KnowledgeEvaluationCase],
        threshold: Double? = nil,
        rankDepth: Int = 10
    ) -> KnowledgeEvaluationReport {
        let thresholds = [threshold ?? index.configuration.answerThreshold]
        return evaluate(index, cases: cases, thresholds: thresholds, rankDepth: rankDepth)[0]
    }

    private static func report(
        index: KnowledgeBM25Index,
        cases: [KnowledgeEvaluationCase],
        results: [[KnowledgeMatch]],
        threshold: Double,
        rankDepth: Int
    ) -> KnowledgeEvaluationReport {
        var answerable = 0, unanswerable = 0, top1 = 0, unanswered = 0, wrong = 0, correctNull = 0
        var reciprocalRanks = 0.0
        var missed = 0, recovered = 0, suggestedForNull = 0
        var byStyle: [String: KnowledgeStyleFigure] = [:]
        var failures: [KnowledgeEvaluationFailure] = []
        for (evaluationCase, ranked) in zip(cases, results) {
            let answer = index.selectAnswer(from: ranked, threshold: threshold)
            var offered: [KnowledgeMatch] = []
            if case .suggest(let choices) = index.decide(from: ranked, threshold: threshold, suggestionThreshold: nil) {
                offered = choices
            }
            let correct: Bool
            var expectedRank: Int?
            if let expected = evaluationCase.expectedEntryID {
                answerable += 1
                if let position = ranked.prefix(rankDepth).firstIndex(where: { $0.entryID == expected }) {
                    expectedRank = position + 1
                    reciprocalRanks += 1 / Double(position + 1)
                }
                correct = answer?.entryID == expected
                if !correct {
                    missed += 1
                    if offered.contains(where: { $0.entryID == expected }) { recovered += 1 }
                }
                if correct { top1 += 1 } else if answer == nil { unanswered += 1 } else { wrong += 1 }
            } else {
                unanswerable += 1
                correct = answer == nil
                if correct { correctNull += 1 }
                if !offered.isEmpty { suggestedForNull += 1 }
            }
            byStyle[evaluationCase.style, default: KnowledgeStyleFigure(correct: 0, total: 0)].total += 1
            if correct {
                byStyle[evaluationCase.style]?.correct += 1
            } else {
                failures.append(KnowledgeEvaluationFailure(evaluationCase: evaluationCase, answer: answer, expectedRank: expectedRank))
            }
        }
        func share(_ count: Int, of total: Int) -> Double { total == 0 ? 0 : Double(count) / Double(total) }
        var report = KnowledgeEvaluationReport(
            threshold: threshold,
            answerableCount: answerable,
            unanswerableCount: unanswerable,
            top1Accuracy: share(top1, of: answerable),
            meanReciprocalRank: answerable == 0 ? 0 : reciprocalRanks / Double(answerable),
            falseUnansweredRate: share(unanswered, of: answerable),
            wrongAnswerRate: share(wrong, of: answerable),
            correctUnansweredRate: share(correctNull, of: unanswerable),
            byStyle: byStyle,
            failures: failures
        )
        report.suggestedRecoveryRate = share(recovered, of: missed)
        report.suggestedForUnanswerableRate = share(suggestedForNull, of: unanswerable)
        return report
    }
}

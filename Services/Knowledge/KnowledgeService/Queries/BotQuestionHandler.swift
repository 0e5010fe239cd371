import Foundation
import KefuModel
import Postgres
import ServiceRuntime

/// `bot.question` → `bot.answer`: the engine's answer at the configured threshold (its confidence as `score`),
/// or `answered: false` with the best candidate's confidence and, when some are close, 猜你想问 choices. An entry deleted or disabled a moment ago
/// (in PostgreSQL, not yet in this matcher) does not answer.
extension KnowledgeEngine {
    func botQuestion(_ event: IncomingEvent, _ connection: PostgresConnection) throws {
        let question: BotQuestion
        do {
            question = try event.decode(BotQuestion.self).data
        } catch {
            throw KnowledgeHandlerError.malformed(type: "bot.question", reason: "\(error)")
        }
        try run(event.header, on: connection) { publication in
            try prepareIndex(connection)
            let outcome = QuestionBatch.current(on: connection)?.outcomes[question.text]
            let answer = try botAnswer(to: question, outcome: outcome, connection)
            recordQuestion(question, answer: answer, groupKey: outcome?.groupKey, connection)
            try publication.reply(answer)
        }
    }
}

extension KnowledgeEngine {
    /// The answer at the configured threshold; else 猜你想问 choices between `KEFU_KNOWLEDGE_SUGGEST_THRESHOLD`
    /// and the threshold (entries still enabled in PostgreSQL); else no answer. `score` is the best confidence.
    /// `outcome`: what the batch's ``QuestionBatch`` decided for this text, if it did.
    func botAnswer(to question: BotQuestion, outcome: QuestionBatch.Outcome?, _ connection: PostgresConnection) throws -> BotAnswer {
        let batch = QuestionBatch.current(on: connection)
        let (decision, top) = outcome.map { ($0.decision, $0.best) } ?? decideWithBest(question.text)
        let (session, seq) = (question.sessionID, question.questionSeq)
        func enabled(_ ids: [UUID]) throws -> [UUID: EntryRecord] {
            try batch?.records(ids) ?? entries.find(ids, enabledOnly: true, connection)
        }
        switch decision {
        case .answer(let best):
            if let id = best.uuid, let record = try enabled([id])[id] {
                return BotAnswer(
                    sessionID: session, questionSeq: seq, answered: true, text: record.answer,
                    entryID: KnowledgeEntryID(record.id), score: Self.rounded(best.confidence))
            }
            return BotAnswer(sessionID: session, questionSeq: seq, answered: false, score: Self.rounded(best.confidence))
        case .suggest(let choices):
            let records = try enabled(choices.compactMap { $0.uuid })
            let offered = choices.compactMap { choice in
                choice.uuid.flatMap { records[$0] }.map { BotSuggestion(entryID: KnowledgeEntryID($0.id), question: $0.question) }
            }.prefix(BotSuggestion.maximumCount)
            return BotAnswer(
                sessionID: session, questionSeq: seq, answered: false, score: choices.first.map { Self.rounded($0.confidence) },
                suggestions: offered.isEmpty ? nil : Array(offered))
        case .none:
            return BotAnswer(sessionID: session, questionSeq: seq, answered: false, score: top.map { Self.rounded($0.confidence) })
        }
    }
}

extension KnowledgeEngine {
    /// The matcher's decision for `text` at the configured thresholds and the best-scored match, from one search.
    func decideWithBest(_ text: String) -> (decision: KnowledgeDecision, best: KnowledgeMatch?) {
        index.decideWithBest(text, threshold: settings.threshold, suggestionThreshold: settings.suggestThreshold)
    }
}

extension KnowledgeMatch {
    /// The matched entry's id.
    var uuid: UUID? { UUID(uuidString: entryID) }
}

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
            let answer = try botAnswer(to: question, connection)
            recordQuestion(question, answer: answer, connection)
            try publication.reply(answer)
        }
    }
}

extension KnowledgeEngine {
    /// The answer at the configured threshold; else 猜你想问 choices between `KEFU_KNOWLEDGE_SUGGEST_THRESHOLD`
    /// and the threshold (entries still enabled in PostgreSQL); else no answer. `score` is the best confidence.
    func botAnswer(to question: BotQuestion, _ connection: PostgresConnection) throws -> BotAnswer {
        let batch = QuestionBatch.current(on: connection)
        let decision = batch?.decisions[question.text] ?? decide(question.text)
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
            let top = index.search(question.text, limit: 1).first
            return BotAnswer(sessionID: session, questionSeq: seq, answered: false, score: top.map { Self.rounded($0.confidence) })
        }
    }
}

extension KnowledgeEngine {
    /// The matcher's decision for `text` at the configured thresholds.
    func decide(_ text: String) -> KnowledgeDecision {
        index.decide(text, threshold: settings.threshold, suggestionThreshold: settings.suggestThreshold)
    }
}

extension KnowledgeMatch {
    /// The matched entry's id.
    var uuid: UUID? { UUID(uuidString: entryID) }
}

import Foundation
import KefuModel
import Postgres
import ServiceRuntime

/// `bot.question` → `bot.answer`: the engine's answer at the configured threshold (its confidence as `score`),
/// or `answered: false` with the best candidate's confidence. An entry deleted or disabled a moment ago
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
            let best = index.answer(question.text, threshold: settings.threshold)
            let record = try best.flatMap(\.uuid).flatMap { try entries.find([$0], enabledOnly: true, connection)[$0] }
            let answer: BotAnswer
            if let best, let record {
                answer = BotAnswer(
                    sessionID: question.sessionID, questionSeq: question.questionSeq, answered: true,
                    text: record.answer, entryID: KnowledgeEntryID(record.id), score: Self.rounded(best.confidence))
            } else {
                let top = index.search(question.text, limit: 1).first
                answer = BotAnswer(
                    sessionID: question.sessionID, questionSeq: question.questionSeq, answered: false,
                    score: top.map { Self.rounded($0.confidence) })
            }
            try publication.reply(answer)
        }
    }
}

extension KnowledgeMatch {
    /// The matched entry's id.
    var uuid: UUID? { UUID(uuidString: entryID) }
}

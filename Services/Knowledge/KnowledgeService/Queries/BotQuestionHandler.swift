import Foundation
import KefuModel
import Postgres
import ServiceRuntime

/// `bot.question` → `bot.answer`: the best entry above the configured threshold, or `answered: false`.
extension KnowledgeEngine {
    func botQuestion(_ event: IncomingEvent, _ connection: PostgresConnection) throws {
        let question: BotQuestion
        do {
            question = try event.decode(BotQuestion.self).data
        } catch {
            throw KnowledgeHandlerError.malformed(type: "bot.question", reason: "\(error)")
        }
        try run(event.header, on: connection) { publication in
            let best = try candidates(for: question.text, limit: 1, minimum: 0, connection).first
            let answer: BotAnswer
            if let best, best.confidence >= settings.threshold {
                answer = BotAnswer(
                    sessionID: question.sessionID, questionSeq: question.questionSeq, answered: true,
                    text: best.record.answer, entryID: KnowledgeEntryID(best.record.id), score: best.confidence)
            } else {
                answer = BotAnswer(
                    sessionID: question.sessionID, questionSeq: question.questionSeq, answered: false,
                    score: best?.confidence)
            }
            try publication.reply(answer)
        }
    }
}

import Foundation
import KefuModel
import Postgres
import ServiceRuntime

/// 有用 / 没用 on bot answers: routing records every bot message that answered from a knowledge entry
/// (`bot_answers`, written with the message) and accepts one feedback per such answer, from the visitor of
/// its session.
extension RoutingEngine {
    /// Records a bot answer the visitor may give feedback on (queued with the message's other writes).
    func recordBotAnswer(
        session: SessionID, seq: Int, questionSeq: Int, entryID: KnowledgeEntryID, on connection: PostgresConnection
    ) {
        connection.queue(
            "INSERT INTO \(schema).bot_answers (session_id, seq, question_seq, entry_id) VALUES ($1, $2, $3, $4)",
            [session.uuid, seq, questionSeq, entryID.uuid])
    }

    /// `visitor.feedback`: once per bot answer of the visitor's own session; `feedback.recorded` takes the
    /// session's next `seq`. Refused with `unknown_answer` (not a bot answer of this visitor's session) or
    /// `feedback_repeated` (the answer already has feedback).
    func visitorFeedback(_ event: IncomingEvent, _ connection: PostgresConnection) throws {
        try run(event, on: connection) { publication in
            let feedback = try decode(VisitorFeedback.self, event).data
            let key = RoutingBatch.AnswerKey(sessionID: feedback.sessionID, seq: feedback.seq)
            guard var session = try sessions.lock(feedback.sessionID, on: connection),
                  session.channel == feedback.channel, session.visitorID == feedback.visitorID,
                  let answer = try botAnswer(key, on: connection)
            else {
                throw Refusal(.unknownAnswer, "no bot answer at seq \(feedback.seq) in session \(feedback.sessionID) for this visitor")
            }
            guard !answer.hasFeedback else {
                throw Refusal(.feedbackRepeated, "the answer at seq \(feedback.seq) already has feedback")
            }
            let seq = session.nextSeq()
            connection.queue(
                "UPDATE \(schema).bot_answers SET useful = $3, feedback_at = now() WHERE session_id = $1 AND seq = $2",
                [session.id.uuid, feedback.seq, feedback.useful])
            connection.queue(
                "UPDATE \(schema).sessions SET last_seq = $2 WHERE id = $1", [session.id.uuid, session.lastSeq])
            RoutingBatch.current(on: connection)?.noteFeedback(key)
            try publication.event(FeedbackRecorded(
                sessionID: session.id, seq: seq, channel: session.channel, visitorID: session.visitorID,
                answerSeq: feedback.seq, questionSeq: answer.questionSeq, entryID: answer.entryID, useful: feedback.useful))
            try publication.reply(.success(.members([
                ("session_id", .string(session.id.description)), ("seq", .int(seq)),
            ])))
        }
    }

    /// The bot answer at `key`, from the batch when it read it, else from the table.
    private func botAnswer(_ key: RoutingBatch.AnswerKey, on connection: PostgresConnection) throws -> RoutingBatch.BotAnswerRow? {
        if let known = RoutingBatch.current(on: connection)?.botAnswer(key) { return known }
        return try connection.query(
            """
            SELECT question_seq, entry_id, useful IS NOT NULL FROM \(schema).bot_answers
            WHERE session_id = $1 AND seq = $2
            """, [key.sessionID.uuid, key.seq]
        ).first.map { row in
            RoutingBatch.BotAnswerRow(
                questionSeq: try row.decode(Int.self, at: 0), entryID: KnowledgeEntryID(try row.decode(UUID.self, at: 1)),
                hasFeedback: try row.decode(Bool.self, at: 2))
        }
    }
}

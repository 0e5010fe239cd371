import Foundation
import KefuModel
@testable import RoutingService
import ServiceRuntime
import Testing

/// 有用 / 没用 on bot answers: accepted once per answer of the visitor's own session, refused otherwise,
/// through the real handlers against PostgreSQL.
@Suite(.serialized) struct FeedbackTests {
    static let entry = KnowledgeEntryID("9a0b1c2d-3e4f-4a5b-8c6d-7e8f9a0b1c2d")!

    /// The visitor asks, the bot answers from `entry`; returns the session and the answer's seq.
    static func answered(_ h: RoutingHarness, visitor: String, question: String = "怎么退货") async throws -> (SessionID, Int) {
        _ = try await h.say(visitor, question)
        let session = try #require(try await h.openSession(visitor: visitor))
        let asked = try #require(try await h.published().first { $0.type == .botQuestion })
        let questionSeq = try asked.decode(BotQuestion.self).questionSeq
        try await h.apply(
            BotAnswer(sessionID: session, questionSeq: questionSeq, answered: true, text: "七天无理由退货。", entryID: entry, score: 0.9),
            replyTo: nil, correlation: asked.header.id)
        let message = try #require(try await h.published().first { $0.type == .messageAccepted }).decode(MessageAccepted.self)
        #expect(message.sender == .bot && message.entryID == entry)
        return (session, message.seq)
    }

    @Test func feedbackIsAcceptedOnceAndRefusedTwiceOrForAnAnswerNotReceived() async throws {
        let h = try await RoutingHarness.make()
        defer { Task { await h.close() } }
        let (session, answerSeq) = try await Self.answered(h, visitor: "v1")
        #expect(answerSeq == 3)

        let first = try await h.apply(VisitorFeedback(channel: "web-pc", visitorID: "v1", sessionID: session, seq: answerSeq, useful: false))
        let reply = try await h.reply(to: first)
        #expect(reply.ok)
        #expect(reply.result?["seq"] == .integer(4))
        let recorded = try await h.sessionEvents(session).filter { $0.type == .feedbackRecorded }
        #expect(recorded.count == 1)
        let event = try #require(recorded.first).decode(FeedbackRecorded.self)
        #expect(event.seq == 4 && event.answerSeq == 3 && event.questionSeq == 2 && event.entryID == Self.entry && !event.useful)
        let stored = try await h.postgres.query(
            "SELECT useful, feedback_at IS NOT NULL FROM routing.bot_answers WHERE session_id = $1 AND seq = $2", [session.uuid, answerSeq])
        #expect(try stored.first?.decode(Bool?.self, at: 0) == false)
        #expect(try stored.first?.decode(Bool.self, at: 1) == true)

        // A second feedback on the same answer, even the other way round.
        let again = try await h.apply(VisitorFeedback(channel: "web-pc", visitorID: "v1", sessionID: session, seq: answerSeq, useful: true))
        let repeated = try await h.reply(to: again)
        #expect(repeated.code == "feedback_repeated")
        #expect(repeated.message?.contains("already has feedback") == true)

        // Another visitor's answer, the visitor's own question, a seq that does not exist.
        for (visitor, seq) in [("v2", answerSeq), ("v1", 2), ("v1", 99)] {
            let id = try await h.apply(VisitorFeedback(channel: "web-pc", visitorID: visitor, sessionID: session, seq: seq, useful: true))
            #expect(try await h.reply(to: id).code == "unknown_answer", "\(visitor) seq \(seq)")
        }
        // The bot's fallback (no entry) is not an answer one can give feedback on.
        _ = try await h.say("v1", "火星天气怎么样")
        let asked = try #require(try await h.published().first { $0.type == .botQuestion })
        try await h.apply(
            BotAnswer(sessionID: session, questionSeq: try asked.decode(BotQuestion.self).questionSeq, answered: false),
            replyTo: nil, correlation: asked.header.id)
        let fallback = try #require(try await h.published().first { $0.type == .messageAccepted }).decode(MessageAccepted.self)
        #expect(fallback.entryID == nil)
        let onFallback = try await h.apply(VisitorFeedback(channel: "web-pc", visitorID: "v1", sessionID: session, seq: fallback.seq, useful: false))
        #expect(try await h.reply(to: onFallback).code == "unknown_answer")

        #expect(try await h.sessionEvents(session).filter { $0.type == .feedbackRecorded }.count == 1, "refusals publish nothing")
    }

    @Test func feedbackOnAnEndedSessionOfTheVisitorIsStillTaken() async throws {
        let h = try await RoutingHarness.make()
        defer { Task { await h.close() } }
        let (session, answerSeq) = try await Self.answered(h, visitor: "v1")
        #expect(try await h.reply(to: try await h.apply(VisitorEnd(channel: "web-pc", visitorID: "v1"))).ok)
        let id = try await h.apply(VisitorFeedback(channel: "web-pc", visitorID: "v1", sessionID: session, seq: answerSeq, useful: true))
        #expect(try await h.reply(to: id).ok)
        let numbers = try await h.sessionEvents(session).compactMap { $0.data["seq"]?.intValue }
        #expect(numbers == Array(1...numbers.count), "feedback takes the session's next seq, no gap")
    }

    @Test func aBatchOfFeedbackCostsOneReadAndASecondFeedbackInTheSameBatchIsRefused() async throws {
        let h = try await RoutingHarness.make()
        defer { Task { await h.close() } }
        var answers: [(String, SessionID, Int)] = []
        for visitor in ["a", "b", "c"] {
            let (session, seq) = try await Self.answered(h, visitor: visitor)
            answers.append((visitor, session, seq))
        }
        let (ids, trips) = try await h.applyBatch(answers.map {
            VisitorFeedback(channel: "web-pc", visitorID: $0.0, sessionID: $0.1, seq: $0.2, useful: $0.0 != "b")
        })
        #expect(trips == 1, "sessions and bot answers are read once for the batch; the writes ride with COMMIT")
        for id in ids { #expect(try await h.reply(to: id).ok) }

        let (session, seq) = try await Self.answered(h, visitor: "d")
        let twice = VisitorFeedback(channel: "web-pc", visitorID: "d", sessionID: session, seq: seq, useful: true)
        let (again, _) = try await h.applyBatch([twice, twice])
        #expect(try await h.reply(to: again[0]).ok)
        #expect(try await h.reply(to: again[1]).code == "feedback_repeated")
        #expect(try await h.sessionEvents(session).filter { $0.type == .feedbackRecorded }.count == 1)
    }

    @Test func malformedFeedbackIsRefusedWithReplyToAndDeadLetteredWithout() async throws {
        let h = try await RoutingHarness.make()
        defer { Task { await h.close() } }
        let (session, seq) = try await Self.answered(h, visitor: "v1")
        let data: [String: Any] = ["channel": "web-pc", "visitor_id": "v1", "session_id": session.description, "seq": seq, "useful": "没用"]
        let refused = try await h.applyMalformed(.visitorFeedback, data)
        #expect(try await h.reply(to: refused).code == "invalid_params")

        let raw = Array(try JSONSerialization.data(withJSONObject: [
            "id": EventID.random().description, "type": "visitor.feedback", "version": 1, "time": Timestamp.now().rfc3339,
            "source": "connector-test", "data": data,
        ]))
        let event = IncomingEvent(entryID: "0-1", header: try EnvelopeCodec.decodeHeader(raw), raw: raw)
        #expect(throws: ContractError.self) { try h.engine.check(event) }
        do {
            try h.engine.check(event)
        } catch let error as ContractError {
            #expect(error.code == "invalid_field" || error.code == "wrong_type", "\(error.code): \(error)")
        }
    }
}

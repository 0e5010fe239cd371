import Foundation
import KefuModel
@testable import RoutingService
import ServiceRuntime
import Testing

/// Every state transition and refusal of the session state machine, applied through the real handlers
/// against a real PostgreSQL database; events are read back from the outbox.
@Suite(.serialized) struct SessionStateTests {
    @Test func firstMessageOpensABotSessionAsksTheBotAndNumbersEverything() async throws {
        let h = try await RoutingHarness.make()
        defer { Task { await h.close() } }
        let id = try await h.say("v1", "你好")
        let events = try await h.published()
        #expect(events.map(\.type) == [.sessionCreated, .messageAccepted, .botQuestion, .replyResult])
        let session = try #require(try await h.openSession(visitor: "v1"))
        #expect(try await h.state(of: session) == "bot")
        let question = try events[2].decode(BotQuestion.self)
        #expect(question.questionSeq == 2)
        #expect(events[2].header.replyTo == h.streams.commands)
        #expect(events[2].stream == h.streams.requests(service: .knowledge))
        #expect(try await h.reply(to: id).ok)

        // The bot answers: message.accepted from the bot with the next seq.
        try await h.apply(BotAnswer(sessionID: session, questionSeq: 2, answered: true, text: "您好！"), replyTo: nil, correlation: events[2].header.id)
        let answer = try await h.published()
        #expect(answer.map(\.type) == [.messageAccepted])
        let accepted = try answer[0].decode(MessageAccepted.self)
        #expect(accepted.sender == .bot)
        #expect(accepted.seq == 3)
    }

    @Test func aResentMessageIsAcceptedOnce() async throws {
        let h = try await RoutingHarness.make()
        defer { Task { await h.close() } }
        _ = try await h.say("v1", "hello", id: "m-1")
        _ = try await h.published()
        let again = try await h.say("v1", "hello", id: "m-1")
        let events = try await h.published()
        #expect(events.map(\.type) == [.replyResult])
        let reply = try await h.reply(to: again)
        #expect(reply.ok)
        #expect(reply.result?["seq"] == .integer(2))
        #expect(reply.result?["duplicate"] == .bool(true))
    }

    @Test func sensitiveWordsAreMaskedBeforePublishing() async throws {
        let h = try await RoutingHarness.make()
        defer { Task { await h.close() } }
        #expect(try await h.updateSettings { $0.sensitiveWords = ["傻瓜", "damn"] }.ok)
        let agent = try await h.onlineAgent("小王", capacity: 2)
        _ = try await h.say("v1", "你这个傻瓜 DAMN it")
        let session = try #require(try await h.openSession(visitor: "v1"))
        try await h.apply(VisitorRequestHuman(channel: "web-pc", visitorID: "v1"))
        try await h.engine.drainQueue(using: h.postgres)
        _ = try await h.published()
        try await h.apply(AgentMessage(sessionID: session, agentID: agent, clientMessageID: "a1", content: .text("别说傻瓜")))
        let all = try await h.sessionEvents(session).filter { $0.type == .messageAccepted }
        let texts = try all.map { try $0.decode(MessageAccepted.self).content.text ?? "" }
        #expect(texts.contains("你这个** **** it"))
        #expect(texts.contains("别说**"))
        let raw = try await h.postgres.query("SELECT count(*) FROM routing.outbox WHERE position('傻瓜' in convert_from(payload, 'UTF8')) > 0")
        #expect(try raw.first?.decode(Int.self, at: 0) == 0)
    }

    @Test func transferKeywordQueuesAndTheQueueAssignsAndEndsWithRating() async throws {
        let h = try await RoutingHarness.make()
        defer { Task { await h.close() } }
        #expect(try await h.updateSettings { $0.ratingEnabled = true }.ok)
        let agent = try await h.onlineAgent("小王", capacity: 1)
        _ = try await h.say("v1", "转人工")
        let session = try #require(try await h.openSession(visitor: "v1"))
        #expect(try await h.state(of: session) == "queued")
        let report = try await h.engine.drainQueue(using: h.postgres)
        #expect(report.assigned == 1)
        #expect(try await h.state(of: session) == "assigned")
        #expect(try await h.load(of: agent) == 1)

        let end = try await h.apply(AgentEndSession(sessionID: session, agentID: agent))
        #expect(try await h.reply(to: end).ok)
        #expect(try await h.state(of: session) == "ended")
        #expect(try await h.load(of: agent) == 0)
        let events = try await h.sessionEvents(session)
        #expect(events.map(\.type) == [.sessionCreated, .messageAccepted, .sessionQueued, .sessionAssigned, .sessionEnded])
        #expect(try events.map { try $0.data["seq"]?.intValue ?? 0 } == [1, 2, 3, 4, 5])
        let ended = try events[4].decode(SessionEnded.self)
        #expect(ended.reason == .agent && ended.human && ended.ratingInvited && ended.agentID == agent)

        // Rating: out of range, then once, then repeated.
        let badID = try await h.applyMalformed(
            .visitorRating, ["channel": "web-pc", "visitor_id": "v1", "session_id": session.description, "stars": 6])
        #expect(try await h.reply(to: badID).code == "rating_out_of_range")
        let first = try await h.apply(VisitorRating(channel: "web-pc", visitorID: "v1", sessionID: session, stars: 5, comment: "很好"))
        #expect(try await h.reply(to: first).ok)
        let second = try await h.apply(VisitorRating(channel: "web-pc", visitorID: "v1", sessionID: session, stars: 4))
        #expect(try await h.reply(to: second).code == "rating_repeated")
        let strangers = try await h.apply(VisitorRating(channel: "web-pc", visitorID: "v2", sessionID: session, stars: 4))
        #expect(try await h.reply(to: strangers).code == "unknown_session")
        let recorded = try await h.sessionEvents(session).filter { $0.type == .ratingRecorded }
        #expect(recorded.count == 1)
        #expect(try recorded.first?.decode(RatingRecorded.self).seq == 6)
    }

    @Test func ratingIsNotInvitedForBotSessionsOrWhenOff() async throws {
        let h = try await RoutingHarness.make()
        defer { Task { await h.close() } }
        _ = try await h.say("v1", "你好")
        let session = try #require(try await h.openSession(visitor: "v1"))
        let end = try await h.apply(VisitorEnd(channel: "web-pc", visitorID: "v1"))
        #expect(try await h.reply(to: end).ok)
        #expect(try await h.state(of: session) == "ended")
        let rating = try await h.apply(VisitorRating(channel: "web-pc", visitorID: "v1", sessionID: session, stars: 3))
        #expect(try await h.reply(to: rating).code == "rating_not_invited")
        let ended = try #require(try await h.sessionEvents(session).last).decode(SessionEnded.self)
        #expect(ended.reason == .visitorButton && !ended.human && !ended.ratingInvited)
        // The next message opens a new session.
        _ = try await h.say("v1", "还在吗")
        let next = try #require(try await h.openSession(visitor: "v1"))
        #expect(next != session)
    }

    @Test func queueExitKeywordEndPhraseAndButtonLeaveTheQueue() async throws {
        let h = try await RoutingHarness.make()
        defer { Task { await h.close() } }
        try await h.onlineAgent("小王", capacity: 0)
        let a = try await h.requestHuman("a")
        #expect(try await h.state(of: a) == "queued")
        _ = try await h.say("a", "退出排队")
        #expect(try await h.state(of: a) == "left")
        #expect(try await h.sessionEvents(a).last?.decode(SessionEnded.self).reason == .queueExit)

        let b = try await h.requestHuman("b")
        try await h.apply(VisitorExitQueue(channel: "web-pc", visitorID: "b"))
        #expect(try await h.state(of: b) == "left")

        let c = try await h.requestHuman("c")
        try await h.apply(VisitorEnd(channel: "web-pc", visitorID: "c"))
        #expect(try await h.state(of: c) == "left")
        #expect(try await h.sessionEvents(c).last?.decode(SessionEnded.self).reason == .visitorButton)

        let d = try await h.requestHuman("d")
        _ = try await h.say("d", "结束会话")
        #expect(try await h.state(of: d) == "left")

        let notQueued = try await h.apply(VisitorExitQueue(channel: "web-pc", visitorID: "zzz"))
        #expect(try await h.reply(to: notQueued).code == "session_not_active")
    }

    @Test func noServiceWhenNobodyIsOnlineOrSwitchIsOffOrQueueIsFull() async throws {
        let h = try await RoutingHarness.make()
        defer { Task { await h.close() } }
        let nobody = try await h.requestHuman("v1")
        #expect(try await h.state(of: nobody) == "ended")
        let events = try await h.sessionEvents(nobody)
        #expect(events.map(\.type) == [.sessionCreated, .messageAccepted, .messageAccepted, .sessionEnded])
        #expect(try events[1].decode(MessageAccepted.self).sender == .system)
        #expect(try events[3].decode(SessionEnded.self).reason == .noService)

        try await h.onlineAgent("小王", capacity: 0)
        #expect(try await h.updateSettings { $0.queue.maxLength = 1 }.ok)
        #expect(try await h.state(of: try await h.requestHuman("q1")) == "queued")
        #expect(try await h.state(of: try await h.requestHuman("q2")) == "ended")

        #expect(try await h.updateSettings { $0.humanServiceEnabled = false; $0.queue.maxLength = 100 }.ok)
        #expect(try await h.state(of: try await h.requestHuman("q3")) == "ended")
    }

    @Test func anAgentWhoStoppedAcceptingStillKeepsTheQueueOpenButAnAbsentOneDoesNot() async throws {
        let h = try await RoutingHarness.make()
        defer { Task { await h.close() } }
        let agent = try await h.onlineAgent("小王", capacity: 2)
        try await h.apply(AgentSetStatus(agentID: agent, status: .stopAccepting))
        let waiting = try await h.requestHuman("v1")
        #expect(try await h.state(of: waiting) == "queued", "停止接入 is on duty: the visitor waits in the queue")
        #expect(try await h.load(of: agent) == 0, "but gets nothing while not accepting")

        try await h.postgres.execute("UPDATE routing.agents SET present_until = now() - interval '1 second' WHERE id = $1", [agent.uuid])
        let late = try await h.requestHuman("v2")
        #expect(try await h.state(of: late) == "ended", "nobody at a workbench: out-of-service prompt and leave-a-message")
        #expect(try await h.sessionEvents(late).last?.decode(SessionEnded.self).reason == .noService)
    }

    @Test func botMissesCountAndTransferAfterTheLimit() async throws {
        let h = try await RoutingHarness.make()
        defer { Task { await h.close() } }
        try await h.onlineAgent("小王", capacity: 0)
        _ = try await h.say("v1", "问题一")
        let session = try #require(try await h.openSession(visitor: "v1"))
        try await h.apply(BotAnswer(sessionID: session, questionSeq: 2, answered: false), replyTo: nil, correlation: .random())
        #expect(try await h.state(of: session) == "bot")
        _ = try await h.say("v1", "问题二")
        // A stale answer (for the first question) is ignored.
        try await h.apply(BotAnswer(sessionID: session, questionSeq: 2, answered: false), replyTo: nil, correlation: .random())
        #expect(try await h.state(of: session) == "bot")
        let last = try await h.sessionEvents(session).last
        let seq = try #require(last?.data["seq"]?.intValue)
        try await h.apply(BotAnswer(sessionID: session, questionSeq: seq, answered: false), replyTo: nil, correlation: .random())
        #expect(try await h.state(of: session) == "queued")
        let queued = try #require(try await h.sessionEvents(session).last).decode(SessionQueued.self)
        #expect(queued.reason == .botFailures)
    }

    @Test("a bot.answer with 猜你想问 choices becomes a bot message listing them, counted as a miss")
    func botChoicesAreOfferedAndCountAsMisses() async throws {
        let h = try await RoutingHarness.make()
        defer { Task { await h.close() } }
        _ = try await h.say("v1", "退货运费")
        let session = try #require(try await h.openSession(visitor: "v1"))
        _ = try await h.published()
        let choices = [
            BotSuggestion(entryID: KnowledgeEntryID(UUID()), question: "退货运费谁出"),
            BotSuggestion(entryID: KnowledgeEntryID(UUID()), question: "运费险怎么理赔"),
        ]
        try await h.apply(BotAnswer(sessionID: session, questionSeq: 2, answered: false, score: 0.4, suggestions: choices), replyTo: nil, correlation: .random())
        let events = try await h.published()
        #expect(events.map(\.type) == [.messageAccepted])
        let offered = try events[0].decode(MessageAccepted.self)
        #expect(offered.sender == .bot && offered.seq == 3)
        #expect(offered.suggestions == choices)
        #expect(offered.content.text == "您是不是想问：\n1. 退货运费谁出\n2. 运费险怎么理赔\n请点击或发送您想问的问题。")
        let unanswered = try await h.postgres.query("SELECT unanswered FROM routing.sessions WHERE id = $1", [session.uuid]).first?.decode(Int.self, at: 0)
        #expect(unanswered == 1)
    }

    @Test func agentRefusalsChangeNothing() async throws {
        let h = try await RoutingHarness.make()
        defer { Task { await h.close() } }
        let wang = try await h.onlineAgent("小王", capacity: 1)
        let li = try await h.onlineAgent("小李", capacity: 1)
        let session = try await h.requestHuman("v1")
        try await h.engine.drainQueue(using: h.postgres)
        let holder = try #require(try await h.postgres.query("SELECT agent_id FROM routing.sessions WHERE id = $1", [session.uuid]).first?.decode(UUID.self, at: 0))
        let other = holder == wang.uuid ? li : wang
        let owner = AgentID(holder)
        let before = try await h.postgres.query("SELECT last_seq FROM routing.sessions WHERE id = $1", [session.uuid]).first?.decode(Int.self, at: 0)

        let cases: [(any EventPayload, String)] = [
            (AgentMessage(sessionID: session, agentID: other, clientMessageID: "x", content: .text("hi")), "not_your_session"),
            (AgentMessage(sessionID: .random(), agentID: owner, clientMessageID: "y", content: .text("hi")), "unknown_session"),
            (AgentEndSession(sessionID: session, agentID: other), "not_your_session"),
            (AgentTransfer(sessionID: session, agentID: owner, toAgentID: .random()), "unknown_agent"),
            (AgentTransfer(sessionID: session, agentID: other, toAgentID: owner), "not_your_session"),
            (AgentSetStatus(agentID: .random(), status: .online), "unknown_agent"),
            (AgentHeartbeat(agentID: .random(), ttlSeconds: 30), "unknown_agent"),
        ]
        for (payload, code) in cases {
            let id = try await apply(payload, h)
            #expect(try await h.reply(to: id).code == code, "\(type(of: payload))")
        }
        // Transfer to self is malformed: refused with its own code.
        let rawID = try await h.applyMalformed(
            .agentTransfer, ["session_id": session.description, "agent_id": owner.description, "to_agent_id": owner.description])
        #expect(try await h.reply(to: rawID).code == "transfer_to_self")
        let after = try await h.postgres.query("SELECT last_seq FROM routing.sessions WHERE id = $1", [session.uuid]).first?.decode(Int.self, at: 0)
        #expect(before == after)
        #expect(try await h.load(of: owner) == 1)
        #expect(try await h.load(of: other) == 0)
    }

    @Test func endPhraseEndsAHumanSessionAndFreesTheSlot() async throws {
        let h = try await RoutingHarness.make()
        defer { Task { await h.close() } }
        let agent = try await h.onlineAgent("小王", capacity: 1)
        let session = try await h.requestHuman("v1")
        try await h.engine.drainQueue(using: h.postgres)
        _ = try await h.say("v1", "结束会话")
        #expect(try await h.state(of: session) == "ended")
        #expect(try await h.load(of: agent) == 0)
        let ended = try #require(try await h.sessionEvents(session).last).decode(SessionEnded.self)
        #expect(ended.reason == .visitorPhrase && ended.human && ended.agentID == agent && !ended.ratingInvited)
        let late = try await h.apply(AgentMessage(sessionID: session, agentID: agent, clientMessageID: "late", content: .text("hi")))
        #expect(try await h.reply(to: late).code == "session_not_active")
    }

    @Test func malformedEntriesWithoutReplyToAreDeadLetteredAtOnce() async throws {
        let h = try await RoutingHarness.make()
        defer { Task { await h.close() } }
        func event(replyTo: String?) throws -> IncomingEvent {
            var object: [String: Any] = [
                "id": UUID().uuidString.lowercased(), "type": "visitor.rating", "version": 1, "time": Timestamp.now().rfc3339,
                "source": "test", "data": ["channel": "web-pc", "visitor_id": "v1", "session_id": UUID().uuidString.lowercased(), "stars": 9],
            ]
            if let replyTo { object["reply_to"] = replyTo }
            let raw = Array(try JSONSerialization.data(withJSONObject: object))
            return IncomingEvent(entryID: "1-0", header: try EnvelopeCodec.decodeHeader(raw), raw: raw)
        }
        #expect(throws: ContractError.self) { try h.engine.check(try event(replyTo: nil)) }
        try h.engine.check(try event(replyTo: RoutingHarness.replyStream))
    }

    private func apply(_ payload: any EventPayload, _ h: RoutingHarness) async throws -> EventID {
        try await open(payload, h)
    }

    private func open<P: EventPayload>(_ payload: P, _ h: RoutingHarness) async throws -> EventID {
        try await h.apply(payload)
    }
}

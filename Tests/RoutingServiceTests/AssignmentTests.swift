import Foundation
import KefuModel
import Postgres
@testable import RoutingService
import ServiceRuntime
import Testing

/// Assignment rules, transfer, presence expiry, timeouts and live queue positions.
@Suite(.serialized) struct AssignmentTests {
    private func agentOf(_ session: SessionID, _ h: RoutingHarness) async throws -> AgentID? {
        try await h.postgres.query("SELECT agent_id FROM routing.sessions WHERE id = $1", [session.uuid])
            .first?.decode(UUID?.self, at: 0).map(AgentID.init)
    }

    @Test func fifoToTheFewestLoadThenLongestIdle() async throws {
        let h = try await RoutingHarness.make()
        defer { Task { await h.close() } }
        let a = try await h.onlineAgent("A", capacity: 0)
        let b = try await h.onlineAgent("B", capacity: 0)
        var sessions: [SessionID] = []
        for index in 0..<5 { sessions.append(try await h.requestHuman("v\(index)")) }
        // B has been idle longer than A.
        try await h.postgres.execute("UPDATE routing.agents SET capacity = 2, idle_since = now() - interval '1 hour' WHERE id = $1", [b.uuid])
        try await h.postgres.execute("UPDATE routing.agents SET capacity = 2, idle_since = now() - interval '1 minute' WHERE id = $1", [a.uuid])
        let report = try await h.engine.drainQueue(using: h.postgres)
        #expect(report.assigned == 4)
        #expect(try await agentOf(sessions[0], h) == b)
        #expect(try await agentOf(sessions[1], h) == a)
        #expect(try await h.state(of: sessions[4]) == "queued")
        #expect(try await h.load(of: a) == 2)
        #expect(try await h.load(of: b) == 2)
        let audit = try await h.postgres.query("SELECT rule, jsonb_array_length(candidates) FROM routing.assignment_audit WHERE session_id = $1", [sessions[0].uuid])
        #expect(try audit.first?.decode(String.self, at: 0) == "fewest_sessions_then_longest_idle")
        #expect(try audit.first?.decode(Int.self, at: 1) == 2)

        // An ended session frees a slot: the oldest waiting visitor gets it.
        try await h.apply(AgentEndSession(sessionID: sessions[0], agentID: b))
        try await h.engine.drainQueue(using: h.postgres)
        #expect(try await agentOf(sessions[4], h) == b)
    }

    @Test func enqueueTimeIsStampedWhenTheTransactionCommits() async throws {
        let h = try await RoutingHarness.make()
        defer { Task { await h.close() } }
        try await h.onlineAgent("A", capacity: 0)
        let raw = try EnvelopeCodec.encode(EventEnvelope(source: "test", data: VisitorRequestHuman(channel: "web-pc", visitorID: "slow")))
        let event = IncomingEvent(entryID: "1-0", header: try EnvelopeCodec.decodeHeader(raw), raw: raw)
        let engine = h.engine
        let handledAt = Date()
        try await h.postgres.transaction { connection in
            try engine.visitorRequestHuman(event, connection)
            try connection.execute("SELECT pg_sleep(0.3)")
        }
        let row = try #require(try await h.postgres.query(
            "SELECT enqueued_at, enqueue_stamped FROM routing.sessions WHERE visitor_id = 'slow'").first)
        #expect(try row.decode(Bool.self, at: 1))
        #expect(try row.decode(Date.self, at: 0).timeIntervalSince(handledAt) >= 0.3)
    }

    @Test func priorityGoesFirstAndStopAcceptingOrAbsentAgentsGetNothing() async throws {
        let h = try await RoutingHarness.make()
        defer { Task { await h.close() } }
        let a = try await h.onlineAgent("A", capacity: 3)
        let other = try await h.onlineAgent("Other", capacity: 0)
        try await h.apply(AgentSetStatus(agentID: a, status: .stopAccepting))
        let first = try await h.requestHuman("first")
        let urgent = try await h.requestHuman("urgent")
        try await h.postgres.execute("UPDATE routing.sessions SET priority = 0 WHERE id = $1", [urgent.uuid])
        #expect(try await h.engine.drainQueue(using: h.postgres).assigned == 0)
        try await h.apply(AgentSetStatus(agentID: a, status: .online))
        try await h.postgres.execute("UPDATE routing.agents SET present_until = now() - interval '1 second' WHERE id = $1", [a.uuid])
        #expect(try await h.engine.drainQueue(using: h.postgres).assigned == 0)
        try await h.apply(AgentHeartbeat(agentID: a, ttlSeconds: 30))
        try await h.postgres.execute("UPDATE routing.agents SET capacity = 1 WHERE id = $1", [a.uuid])
        #expect(try await h.load(of: other) == 0)
        #expect(try await h.engine.drainQueue(using: h.postgres).assigned == 1)
        #expect(try await h.state(of: urgent) == "assigned")
        #expect(try await h.state(of: first) == "queued")
    }

    @Test func transferMovesTheSessionAndRefusesUnavailableOrFullTargets() async throws {
        let h = try await RoutingHarness.make()
        defer { Task { await h.close() } }
        let a = try await h.onlineAgent("A", capacity: 1)
        let session = try await h.requestHuman("v1")
        try await h.engine.drainQueue(using: h.postgres)
        #expect(try await agentOf(session, h) == a)
        let b = try await h.onlineAgent("B", capacity: 1)
        let c = try await h.onlineAgent("C", capacity: 1)
        try await h.apply(AgentSetStatus(agentID: c, status: .stopAccepting))
        let offline = try await h.apply(AgentTransfer(sessionID: session, agentID: a, toAgentID: c))
        #expect(try await h.reply(to: offline).code == "agent_unavailable")
        let other = try await h.requestHuman("v2")
        try await h.engine.drainQueue(using: h.postgres)
        #expect(try await agentOf(other, h) == b)
        let full = try await h.apply(AgentTransfer(sessionID: session, agentID: a, toAgentID: b))
        #expect(try await h.reply(to: full).code == "agent_full")
        #expect(try await agentOf(session, h) == a)

        try await h.apply(AgentSetStatus(agentID: c, status: .online))
        _ = try await h.published()
        let moved = try await h.apply(AgentTransfer(sessionID: session, agentID: a, toAgentID: c, note: "退款"))
        #expect(try await h.reply(to: moved).ok)
        #expect(try await agentOf(session, h) == c)
        #expect(try await h.load(of: a) == 0)
        #expect(try await h.load(of: c) == 1)
        let event = try #require(try await h.published().first { $0.type == .sessionTransferred }).decode(SessionTransferred.self)
        #expect(event.fromAgentID == a && event.toAgentID == c && event.toAgentName == "C" && event.note == "退款")
        let history = try await h.postgres.query("SELECT agent_id FROM routing.session_agents WHERE session_id = $1 ORDER BY assigned_at", [session.uuid])
        #expect(try history.map { AgentID(try $0.decode(UUID.self, at: 0)) } == [a, c])
        // The old agent can no longer write.
        let late = try await h.apply(AgentMessage(sessionID: session, agentID: a, clientMessageID: "late", content: .text("hi")))
        #expect(try await h.reply(to: late).code == "not_your_session")
    }

    @Test func presenceExpiryRequeuesAtTheFrontAfterTheGracePeriod() async throws {
        let h = try await RoutingHarness.make()
        defer { Task { await h.close() } }
        #expect(try await h.updateSettings { $0.session.presenceGraceSeconds = 1 }.ok)
        let gone = try await h.onlineAgent("Gone", capacity: 1)
        let served = try await h.requestHuman("served")
        try await h.engine.drainQueue(using: h.postgres)
        #expect(try await h.state(of: served) == "assigned")
        try await h.onlineAgent("Full", capacity: 0)
        let waiting = try await h.requestHuman("waiting")
        #expect(try await h.state(of: waiting) == "queued")
        // The heartbeat lapses; within the grace period nothing moves.
        try await h.postgres.execute("UPDATE routing.agents SET present_until = now() - interval '1 second' WHERE id = $1", [gone.uuid])
        try await h.engine.maintain(using: h.postgres)
        #expect(try await h.state(of: served) == "assigned")
        try await h.postgres.execute("UPDATE routing.agents SET absent_since = now() - interval '5 seconds' WHERE id = $1", [gone.uuid])
        _ = try await h.published()
        try await h.engine.maintain(using: h.postgres)
        #expect(try await h.state(of: served) == "queued")
        #expect(try await h.load(of: gone) == 0)
        let events = try await h.published()
        let queued = try #require(events.first { $0.type == .sessionQueued }).decode(SessionQueued.self)
        #expect(queued.reason == .agentGone && queued.priority == 0)
        #expect(try events.contains { try $0.type == .messageAccepted && $0.decode(MessageAccepted.self).sender == .system })
        // A new agent takes the re-queued visitor before the one who was already waiting.
        let fresh = try await h.onlineAgent("Fresh", capacity: 1)
        try await h.engine.drainQueue(using: h.postgres)
        #expect(try await agentOf(served, h) == fresh)
        #expect(try await h.state(of: waiting) == "queued")
    }

    @Test func offlineRequeuesAtOnce() async throws {
        let h = try await RoutingHarness.make()
        defer { Task { await h.close() } }
        let a = try await h.onlineAgent("A", capacity: 2)
        let s = try await h.requestHuman("v1")
        try await h.engine.drainQueue(using: h.postgres)
        try await h.apply(AgentSetStatus(agentID: a, status: .offline))
        #expect(try await h.state(of: s) == "queued")
        #expect(try await h.load(of: a) == 0)
    }

    @Test func disablingAnAgentRequeuesItsSessionsFirstAndEndsItsPresence() async throws {
        let h = try await RoutingHarness.make()
        defer { Task { await h.close() } }
        let a = try await h.onlineAgent("A", capacity: 2)
        let served = try await h.requestHuman("v1")
        let waiting = try await h.requestHuman("v2")
        try await h.engine.drainQueue(using: h.postgres)
        #expect(try await h.state(of: served) == "assigned")
        #expect(try await h.state(of: waiting) == "assigned")
        let third = try await h.requestHuman("v3")
        _ = try await h.published()
        try await h.apply(AdminUpsertAgent(actorID: .random(), agentID: a, name: "A", capacity: 2, enabled: false))
        #expect(try await h.state(of: served) == "queued")
        #expect(try await h.state(of: waiting) == "queued")
        #expect(try await h.load(of: a) == 0)
        let row = try #require(try await h.postgres.query(
            "SELECT status, present_until IS NULL FROM routing.agents WHERE id = $1", [a.uuid]).first)
        #expect(try row.decode(String.self, at: 0) == "offline")
        #expect(try row.decode(Bool.self, at: 1))
        let updates = try await h.published().filter { $0.type == .agentUpdated }.map { try $0.decode(AgentUpdated.self) }
        #expect(updates.last?.enabled == false)
        #expect(updates.last?.present == false)
        // A heartbeat already on its way gives no presence back.
        try await h.apply(AgentHeartbeat(agentID: a, ttlSeconds: 300))
        #expect(try await h.postgres.query("SELECT present_until IS NULL FROM routing.agents WHERE id = $1", [a.uuid]).first?.decode(Bool.self, at: 0) == true)
        // Re-queued sessions go ahead of the visitor who was already waiting.
        let fresh = try await h.onlineAgent("Fresh", capacity: 1)
        try await h.engine.drainQueue(using: h.postgres)
        let taken = [try await agentOf(served, h), try await agentOf(waiting, h)]
        #expect(taken.contains(fresh), "\(taken)")
        #expect(try await h.state(of: third) == "queued")
        // Re-enabled: offline until the agent chooses a status, so it gets nothing.
        try await h.apply(AdminUpsertAgent(actorID: .random(), agentID: a, name: "A", capacity: 2, enabled: true))
        try await h.apply(AgentHeartbeat(agentID: a, ttlSeconds: 300))
        try await h.engine.drainQueue(using: h.postgres)
        #expect(try await h.load(of: a) == 0)
        let status = try await h.postgres.query("SELECT status FROM routing.agents WHERE id = $1", [a.uuid]).first?.decode(String.self, at: 0)
        #expect(status == "offline")
    }

    @Test func theTickerRequeuesSessionsLeftWithAnOfflineAgent() async throws {
        let h = try await RoutingHarness.make()
        defer { Task { await h.close() } }
        let a = try await h.onlineAgent("A", capacity: 1)
        let s = try await h.requestHuman("v1")
        try await h.engine.drainQueue(using: h.postgres)
        // As if the session had been held by a handler while the agent logged out.
        try await h.postgres.execute("UPDATE routing.agents SET status = 'offline', present_until = NULL WHERE id = $1", [a.uuid])
        #expect(try await h.state(of: s) == "assigned")
        try await h.engine.maintain(using: h.postgres)
        #expect(try await h.state(of: s) == "queued")
        #expect(try await h.load(of: a) == 0)
    }

    @Test func queuePositionsArePublishedOnEveryChangeAndOnlyThen() async throws {
        let h = try await RoutingHarness.make()
        defer { Task { await h.close() } }
        let a = try await h.onlineAgent("A", capacity: 1)
        var sessions: [SessionID] = []
        for index in 0..<4 { sessions.append(try await h.requestHuman("v\(index)")) }
        try await h.engine.drainQueue(using: h.postgres)
        _ = try await h.published()
        #expect(try await h.engine.publishPositions(using: h.postgres) == 3)
        let first = try await h.published().filter { $0.type == .queuePosition }.map { try $0.decode(QueuePosition.self) }
        #expect(first.map(\.position) == [1, 2, 3])
        #expect(first.map(\.ahead) == [0, 1, 2])
        #expect(first.allSatisfy { $0.prompt.contains("第\($0.position)位") })
        // Nothing changed: nothing published.
        #expect(try await h.engine.publishPositions(using: h.postgres) == 0)
        // The served visitor leaves; everyone moves up once.
        try await h.apply(AgentEndSession(sessionID: sessions[0], agentID: a))
        try await h.engine.drainQueue(using: h.postgres)
        #expect(try await h.engine.publishPositions(using: h.postgres) == 2)
        let second = try await h.published().filter { $0.type == .queuePosition }.map { try $0.decode(QueuePosition.self) }
        #expect(second.map(\.position) == [1, 2])
        #expect(second.map(\.sessionID) == [sessions[2], sessions[3]])
        // Seqs of a queued session stay gapless across queue.position events.
        let seqs = try await h.sessionEvents(sessions[3]).map { $0.data["seq"]?.intValue ?? 0 }
        #expect(seqs == Array(1...seqs.count))
    }

    @Test func queueTimeoutAndIdleWarningThenIdleTimeout() async throws {
        let h = try await RoutingHarness.make()
        defer { Task { await h.close() } }
        #expect(try await h.updateSettings { $0.queue.timeoutSeconds = 60; $0.session.idleTimeoutSeconds = 120; $0.session.idleWarningSeconds = 60 }.ok)
        let a = try await h.onlineAgent("A", capacity: 1)
        let served = try await h.requestHuman("served")
        try await h.engine.drainQueue(using: h.postgres)
        let waiting = try await h.requestHuman("waiting")
        try await h.postgres.execute("UPDATE routing.sessions SET enqueued_at = now() - interval '61 seconds' WHERE id = $1", [waiting.uuid])
        try await h.postgres.execute("UPDATE routing.sessions SET last_activity_at = now() - interval '70 seconds' WHERE id = $1", [served.uuid])
        _ = try await h.published()
        try await h.engine.maintain(using: h.postgres)
        #expect(try await h.state(of: waiting) == "left")
        #expect(try await h.sessionEvents(waiting).last?.decode(SessionEnded.self).reason == .queueTimeout)
        #expect(try await h.state(of: served) == "assigned")
        let warning = try await h.sessionEvents(served).last?.decode(MessageAccepted.self)
        #expect(warning?.sender == .system)
        #expect(warning?.content.text?.contains("1分钟") == true)
        try await h.engine.maintain(using: h.postgres)
        let count = try await h.sessionEvents(served).count
        try await h.postgres.execute("UPDATE routing.sessions SET last_activity_at = now() - interval '121 seconds' WHERE id = $1", [served.uuid])
        try await h.engine.maintain(using: h.postgres)
        #expect(try await h.state(of: served) == "ended")
        let events = try await h.sessionEvents(served)
        #expect(events.count == count + 1)
        #expect(try events.last?.decode(SessionEnded.self).reason == .idleTimeout)
        #expect(try await h.load(of: a) == 0)
        let handle = try await h.postgres.query("SELECT count(*) FROM routing.handle_times")
        #expect(try handle.first?.decode(Int.self, at: 0) == 1)
    }

    @Test func unansweredBotQuestionsTimeOut() async throws {
        var tuning = RoutingTuning()
        tuning.botAnswerTimeoutSeconds = 1
        let h = try await RoutingHarness.make(tuning: tuning)
        defer { Task { await h.close() } }
        _ = try await h.say("v1", "在吗")
        let session = try #require(try await h.openSession(visitor: "v1"))
        try await h.postgres.execute("UPDATE routing.sessions SET pending_question_at = now() - interval '2 seconds'")
        try await h.engine.maintain(using: h.postgres)
        let last = try #require(try await h.sessionEvents(session).last).decode(MessageAccepted.self)
        #expect(last.sender == .bot)
        let unanswered = try await h.postgres.query("SELECT unanswered FROM routing.sessions WHERE id = $1", [session.uuid])
        #expect(try unanswered.first?.decode(Int.self, at: 0) == 1)
    }
}

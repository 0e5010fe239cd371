import Foundation
import KefuModel
import Postgres
@testable import RoutingService
import Testing

/// Visitor blocks (黑名单): the serving agent blocks, the session ends, the visitor's messages are refused
/// with a neutral prompt and never queued until the block expires or an admin lifts it.
@Suite struct BlacklistTests {
    /// An agent serving `visitor`'s assigned session.
    private func served(_ h: RoutingHarness, visitor: String, agent: AgentID? = nil) async throws -> (SessionID, AgentID) {
        var serving = agent
        if serving == nil { serving = try await h.onlineAgent("小王", capacity: 5) }
        let agent = try #require(serving)
        let session = try await h.requestHuman(visitor)
        try await h.engine.drainQueue(using: h.postgres)
        #expect(try await h.state(of: session) == "assigned")
        return (session, agent)
    }

    private func ask(_ h: RoutingHarness, _ name: String, _ actor: Actor, _ params: [String: JSONValue] = [:]) async throws -> ReplyResult {
        try await h.reply(to: try await h.apply(QueryRequest(name: name, actor: actor, params: .object(params))))
    }

    private func items(_ value: JSONValue?) -> [JSONValue] {
        if case .array(let items)? = value { return items }
        return []
    }

    private func blockRows(_ h: RoutingHarness) async throws -> Int {
        try await h.postgres.query("SELECT count(*) FROM routing.blocked_visitors").first?.decode(Int.self, at: 0) ?? -1
    }

    private func sessionCount(_ h: RoutingHarness, visitor: String) async throws -> Int {
        try await h.postgres.query("SELECT count(*) FROM routing.sessions WHERE visitor_id = $1", [visitor])
            .first?.decode(Int.self, at: 0) ?? -1
    }

    @Test func aBlockEndsTheSessionAndRefusesTheVisitorWithoutASessionUntilLifted() async throws {
        let h = try await RoutingHarness.make()
        defer { Task { await h.close() } }
        let (session, agent) = try await served(h, visitor: "troll")
        _ = try await h.published()

        let block = try await h.apply(AgentBlockVisitor(sessionID: session, agentID: agent, reason: "辱骂客服", durationMinutes: nil))
        let reply = try await h.reply(to: block)
        #expect(reply.ok)
        let blockID = try #require(reply.result?["block_id"]?.stringValue.flatMap(BlockID.init))
        #expect(reply.result?["until"] == .null)
        #expect(try await h.state(of: session) == "ended")
        #expect(try await h.load(of: agent) == 0)
        let ended = try #require(try await h.published().first { $0.type == .sessionEnded }).decode(SessionEnded.self)
        #expect(ended.reason == .agent && ended.agentID == agent)
        let audit = try #require(try await h.postgres.query(
            "SELECT reason, blocked_by, session_id, until IS NULL, lifted_at IS NULL FROM routing.blocked_visitors WHERE id = $1",
            [blockID.uuid]).first)
        #expect(try audit.decode(String.self, at: 0) == "辱骂客服")
        #expect(try audit.decode(UUID.self, at: 1) == agent.uuid)
        #expect(try audit.decode(UUID.self, at: 2) == session.uuid)
        #expect(try audit.decode(Bool.self, at: 3), "permanent")
        #expect(try audit.decode(Bool.self, at: 4), "not lifted")

        // Messages and the transfer button: refused, no session, nothing queued, the neutral event published.
        let said = try await h.say("troll", "转人工", id: "after-block-1")
        let refused = try await h.reply(to: said)
        #expect(!refused.ok && refused.code == "visitor_blocked")
        #expect(refused.message == "消息暂时无法发送，请稍后再试。")
        let asked = try await h.apply(VisitorRequestHuman(channel: "web-pc", visitorID: "troll"))
        #expect(try await h.reply(to: asked).code == "visitor_blocked")
        #expect(try await h.openSession(visitor: "troll") == nil)
        #expect(try await sessionCount(h, visitor: "troll") == 1)
        let left = try await h.apply(VisitorLeaveMessage(
            channel: "web-pc", visitorID: "troll", name: "无名", problemDescription: "再给你们留个言", phone: "13800000000"))
        #expect(try await h.reply(to: left).code == "visitor_blocked", "a blocked visitor cannot leave a message either")
        let leftRows = try await h.postgres.query("SELECT count(*) FROM routing.leave_messages WHERE visitor_id = 'troll'")
        #expect(try leftRows.first?.decode(Int.self, at: 0) == 0)
        let events = try await h.published()
        let notices = try events.filter { $0.type == .visitorRefused }.map { try $0.decode(VisitorRefused.self) }
        #expect(notices.count == 3)
        #expect(notices.first?.clientMessageID == "after-block-1" && notices.first?.reason == .blocked)
        #expect(notices.allSatisfy { $0.channel == "web-pc" && $0.visitorID == "troll" && !$0.prompt.contains("黑") })
        #expect(!events.contains { [.sessionCreated, .messageAccepted, .sessionQueued, .leaveMessageUpdated].contains($0.type) })
        let stored = try await h.postgres.query(
            "SELECT count(*) FROM routing.message_ids WHERE owner_id = 'troll' AND client_message_id = 'after-block-1'")
        #expect(try stored.first?.decode(Int.self, at: 0) == 0)

        // Lifting: once; the visitor is let in again.
        let admin = AgentID.random()
        let lift = try await h.apply(AdminLiftBlock(actorID: admin, blockID: blockID))
        #expect(try await h.reply(to: lift).ok)
        let again = try await h.apply(AdminLiftBlock(actorID: admin, blockID: blockID))
        #expect(try await h.reply(to: again).code == "already_lifted")
        let unknown = try await h.apply(AdminLiftBlock(actorID: admin, blockID: .random()))
        #expect(try await h.reply(to: unknown).code == "unknown_block")
        let lifted = try await h.postgres.query("SELECT lifted_by FROM routing.blocked_visitors WHERE id = $1", [blockID.uuid])
        #expect(try lifted.first?.decode(UUID.self, at: 0) == admin.uuid)
        let back = try await h.say("troll", "你好")
        #expect(try await h.reply(to: back).ok)
        #expect(try await h.openSession(visitor: "troll") != nil)

        // Listed for admins, active or all.
        let listed = try await ask(h, "blocks.list", .staff(admin, admin: true), ["visitor_id": .string("troll")])
        let listedItems = items(listed.result?["items"])
        let item = try #require(listedItems.first)
        #expect(item["active"] == .bool(false) && item["reason"] == .string("辱骂客服") && item["blocked_by_name"] == .string("小王"))
        #expect(item["lifted_by"] == .string(admin.description) && item["until"] == .null)
        let active = try await ask(h, "blocks.list", .staff(admin, admin: true), ["active": .bool(true)])
        #expect(active.ok && items(active.result?["items"]).isEmpty)
    }

    @Test func aTimedBlockExpiresAndTheVisitorMayBeBlockedAgain() async throws {
        let h = try await RoutingHarness.make()
        defer { Task { await h.close() } }
        let (session, agent) = try await served(h, visitor: "spam")
        let block = try await h.apply(AgentBlockVisitor(sessionID: session, agentID: agent, reason: "广告", durationMinutes: 60))
        let reply = try await h.reply(to: block)
        let until = try #require(reply.result?["until"]?.stringValue.flatMap(Timestamp.init(rfc3339:)))
        #expect(abs(until.date.timeIntervalSinceNow - 3600) < 120)
        #expect(try await h.reply(to: try await h.say("spam", "在吗")).code == "visitor_blocked")

        _ = try await h.postgres.execute("UPDATE routing.blocked_visitors SET until = now() - interval '1 second'")
        #expect(try await h.reply(to: try await h.say("spam", "在吗")).ok)
        let expired = try await h.apply(AdminLiftBlock(actorID: .random(), blockID: try #require(reply.result?["block_id"]?.stringValue.flatMap(BlockID.init))))
        #expect(try await h.reply(to: expired).code == "already_lifted")

        // Blocked again after the expiry: the expired row is closed, the new one is in force.
        let (second, _) = try await served(h, visitor: "spam", agent: agent)
        let again = try await h.apply(AgentBlockVisitor(sessionID: second, agentID: agent, reason: "又发广告"))
        #expect(try await h.reply(to: again).ok)
        #expect(try await blockRows(h) == 2)
        #expect(try await h.reply(to: try await h.say("spam", "在吗")).code == "visitor_blocked")
    }

    @Test func refusalsChangeNothing() async throws {
        let h = try await RoutingHarness.make()
        defer { Task { await h.close() } }
        let (session, agent) = try await served(h, visitor: "v-calm")
        // Capacity 0: online but never assigned automatically, so every session below is `agent`'s.
        let other = try await h.onlineAgent("小李", capacity: 0)
        let cases: [(AgentBlockVisitor, String)] = [
            (AgentBlockVisitor(sessionID: session, agentID: other, reason: "不是我的"), "not_your_session"),
            (AgentBlockVisitor(sessionID: .random(), agentID: agent, reason: "没有会话"), "unknown_session"),
        ]
        for (command, code) in cases {
            #expect(try await h.reply(to: try await h.apply(command)).code == code)
        }
        let malformed: [[String: Any]] = [
            ["session_id": session.description, "agent_id": agent.description, "reason": ""],
            ["session_id": session.description, "agent_id": agent.description, "reason": "   "],
            ["session_id": session.description, "agent_id": agent.description, "reason": String(repeating: "长", count: 201)],
            ["session_id": session.description, "agent_id": agent.description, "reason": "x", "duration_minutes": 0],
            ["session_id": session.description, "agent_id": agent.description, "reason": "x", "duration_minutes": 525_601],
            ["session_id": session.description, "agent_id": agent.description],
        ]
        for data in malformed {
            #expect(try await h.reply(to: try await h.applyMalformed(.agentBlockVisitor, data)).code == "invalid_params")
        }
        #expect(try await h.state(of: session) == "assigned")
        #expect(try await h.load(of: agent) == 1)
        #expect(try await blockRows(h) == 0)

        // An agent's own account, or another agent's, chatting as a visitor.
        let (own, _) = try await served(h, visitor: agent.description, agent: agent)
        #expect(try await h.reply(to: try await h.apply(AgentBlockVisitor(sessionID: own, agentID: agent, reason: "自己"))).code
                == "cannot_block_self")
        let (colleague, _) = try await served(h, visitor: other.description, agent: agent)
        let colleagueReply = try await h.reply(to: try await h.apply(AgentBlockVisitor(sessionID: colleague, agentID: agent, reason: "同事")))
        #expect(colleagueReply.code == "cannot_block_agent")
        #expect(try await h.state(of: own) == "assigned")
        #expect(try await h.state(of: colleague) == "assigned")
        #expect(try await blockRows(h) == 0)
        #expect(try await ask(h, "blocks.list", .staff(agent, admin: false)).code == "forbidden")
    }

    @Test func aBatchWithBlockedAndFreeVisitorsAppliesEachWithTheSameRoundTrips() async throws {
        let h = try await RoutingHarness.make()
        defer { Task { await h.close() } }
        for visitor in 0..<6 { try await h.say("b\(visitor)", "在吗") }
        let messages = { (round: Int) in
            (0..<6).map { VisitorMessage(channel: "web-pc", visitorID: "b\($0)", clientMessageID: "r\(round)-\($0)", content: .text("发货了吗")) }
        }
        let (_, before) = try await h.applyBatch(messages(0))

        let (session, agent) = try await served(h, visitor: "b1")
        #expect(try await h.reply(to: try await h.apply(AgentBlockVisitor(sessionID: session, agentID: agent, reason: "骚扰"))).ok)
        let (session3, _) = try await served(h, visitor: "b3", agent: agent)
        #expect(try await h.reply(to: try await h.apply(AgentBlockVisitor(sessionID: session3, agentID: agent, reason: "骚扰", durationMinutes: 5))).ok)
        _ = try await h.published()

        let (ids, trips) = try await h.applyBatch(messages(1))
        #expect(trips == before, "blocks ride in the batch's one read")
        for (index, id) in ids.enumerated() {
            let reply = try await h.reply(to: id)
            if index == 1 || index == 3 {
                #expect(reply.code == "visitor_blocked")
            } else {
                #expect(reply.ok)
            }
        }
        let events = try await h.published()
        #expect(Set(try events.filter { $0.type == .visitorRefused }.map { try $0.decode(VisitorRefused.self).visitorID }) == ["b1", "b3"])
        let accepted = events.filter { $0.type == .messageAccepted && $0.data["sender"] == .string("visitor") }
        #expect(Set(accepted.compactMap { $0.data["visitor_id"]?.stringValue }) == ["b0", "b2", "b4", "b5"])
        #expect(try await h.openSession(visitor: "b1") == nil)
        #expect(try await h.openSession(visitor: "b3") == nil)
    }

    /// 会话记录 › 拉黑: an admin blocks the visitor of an ended session (not served by them); the block is
    /// audited with the admin, the visitor's new open session ends, their next message is refused; the admin's own
    /// visitor id and an agent account are refused, and a second block of the same visitor too, nothing half-applied.
    @Test func anAdminBlocksFromTheRecords() async throws {
        let h = try await RoutingHarness.make()
        defer { Task { await h.close() } }
        let admin = AgentID.random()
        let (old, agent) = try await served(h, visitor: "spammer")
        try await h.apply(AgentEndSession(sessionID: old, agentID: agent))
        #expect(try await h.state(of: old) == "ended")
        _ = try await h.say("spammer", "加我微信领红包")
        let open = try #require(try await h.openSession(visitor: "spammer"))
        #expect(open != old)

        let reply = try await h.reply(to: try await h.apply(
            AdminBlockVisitor(actorID: admin, sessionID: old, reason: "发送广告", durationMinutes: 60)))
        #expect(reply.ok, "\(reply)")
        #expect(reply.result?["ended_session_id"] == .string(open.description))
        #expect(try await h.state(of: open) == "ended")
        let blockID = try #require(reply.result?["block_id"]?.stringValue.flatMap(BlockID.init))
        let audit = try #require(try await h.postgres.query(
            "SELECT blocked_by, session_id, until > now() + interval '59 minutes' FROM routing.blocked_visitors WHERE id = $1",
            [blockID.uuid]).first)
        #expect(try audit.decode(UUID.self, at: 0) == admin.uuid)
        #expect(try audit.decode(UUID.self, at: 1) == old.uuid)
        #expect(try audit.decode(Bool.self, at: 2))
        let refused = try await h.reply(to: try await h.say("spammer", "在吗"))
        #expect(refused.code == "visitor_blocked", "\(refused)")

        let again = try await h.reply(to: try await h.apply(AdminBlockVisitor(actorID: admin, sessionID: old, reason: "再次")))
        #expect(again.code == "already_blocked")
        let unknown = try await h.reply(to: try await h.apply(AdminBlockVisitor(actorID: admin, sessionID: .random(), reason: "x")))
        #expect(unknown.code == "unknown_session")
        let rows = try await blockRows(h)

        // A session whose visitor id is the admin's own id, then one of another agent account.
        let mine = try await h.requestHuman(admin.description)
        let selfBlock = try await h.reply(to: try await h.apply(AdminBlockVisitor(actorID: admin, sessionID: mine, reason: "x")))
        #expect(selfBlock.code == "cannot_block_self")
        let colleague = try await h.requestHuman(agent.description)
        let agentBlock = try await h.reply(to: try await h.apply(AdminBlockVisitor(actorID: admin, sessionID: colleague, reason: "x")))
        #expect(agentBlock.code == "cannot_block_agent")
        #expect(try await blockRows(h) == rows, "nothing half-applied")
        #expect(try await h.state(of: colleague) != "ended")
    }
}

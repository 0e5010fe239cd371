import Foundation
import KefuModel
import Postgres
@testable import RoutingService
import ServiceRuntime
import Testing

/// Skill groups (技能组): settings and membership refusals, how a visitor reaches a group (entry, keyword,
/// channel, the bot's menu), per-group queues and capacity rules, the multi-group agent, overflow, transfer to
/// a group, and the waiting-per-group summary — against PostgreSQL through the real handlers.
@Suite(.serialized) struct SkillGroupTests {
    private func agentOf(_ session: SessionID, _ h: RoutingHarness) async throws -> AgentID? {
        try await h.postgres.query("SELECT agent_id FROM routing.sessions WHERE id = $1", [session.uuid])
            .first?.decode(UUID?.self, at: 0).map(AgentID.init)
    }

    private func groupOf(_ session: SessionID, _ h: RoutingHarness) async throws -> String? {
        try await h.postgres.query("SELECT group_id FROM routing.sessions WHERE id = $1", [session.uuid])
            .first?.decode(String?.self, at: 0)
    }

    /// Three groups: presales (售前咨询: web-pc, keyword 售前), aftersales (web-pc, keyword 售后, overflow to presales
    /// after 60 s), vip (no channel, agent capacity 1, overflow to leave-a-message after 30 s).
    private func configure(_ h: RoutingHarness) async throws {
        let reply = try await h.updateSettings { settings in
            settings.groups = [
                "presales": RoutingGroupSettings(name: "售前咨询", channels: ["web-pc"], transferKeywords: ["售前"],
                                                 queuePrompt: "售前排队：第{position}位"),
                "aftersales": RoutingGroupSettings(name: "售后", channels: ["web-pc"], transferKeywords: ["售后"],
                                                   overflow: RoutingGroupOverflow(afterSeconds: 60, to: "presales")),
                "vip": RoutingGroupSettings(name: "贵宾", agentCapacity: 1,
                                            overflow: RoutingGroupOverflow(afterSeconds: 30, to: "leave_message")),
            ]
        }
        #expect(reply.ok, "\(reply)")
    }

    private func agent(_ h: RoutingHarness, _ name: String, capacity: Int, groups: [String]) async throws -> AgentID {
        let id = AgentID.random()
        try await h.apply(AdminUpsertAgent(actorID: .random(), agentID: id, name: name, capacity: capacity, enabled: true, groups: groups))
        try await h.apply(AgentSetStatus(agentID: id, status: .online))
        try await h.apply(AgentHeartbeat(agentID: id, ttlSeconds: 300))
        return id
    }

    private func message(
        _ h: RoutingHarness, _ visitor: String, _ text: String, group: String? = nil, priority: Int? = nil, channel: String = "web-pc"
    ) async throws -> ReplyResult {
        let id = try await h.apply(VisitorMessage(
            channel: channel, visitorID: visitor, clientMessageID: UUID().uuidString, content: .text(text), priority: priority,
            group: group))
        return try await h.reply(to: id)
    }

    @Test func badSettingsAreRefusedWithAReasonAndNothingApplied() async throws {
        let h = try await RoutingHarness.make()
        defer { Task { await h.close() } }
        let cycle = try await h.updateSettings { settings in
            settings.groups = [
                "a": RoutingGroupSettings(name: "A", overflow: RoutingGroupOverflow(afterSeconds: 60, to: "b")),
                "b": RoutingGroupSettings(name: "B", overflow: RoutingGroupOverflow(afterSeconds: 60, to: "c")),
                "c": RoutingGroupSettings(name: "C", overflow: RoutingGroupOverflow(afterSeconds: 60, to: "a")),
            ]
        }
        #expect(cycle.code == "overflow_cycle")
        #expect(cycle.message?.contains("a → b → c → a") == true, "\(cycle)")
        let selfLoop = try await h.updateSettings {
            $0.groups = ["a": RoutingGroupSettings(name: "A", overflow: RoutingGroupOverflow(afterSeconds: 60, to: "a"))]
        }
        #expect(selfLoop.code == "overflow_cycle")
        let unknown = try await h.updateSettings {
            $0.groups = ["a": RoutingGroupSettings(name: "A", overflow: RoutingGroupOverflow(afterSeconds: 60, to: "nowhere"))]
        }
        #expect(unknown.code == "unknown_group")
        let duplicate = try await h.updateSettings {
            $0.groups = ["a": RoutingGroupSettings(name: "A", transferKeywords: ["售前"]),
                         "b": RoutingGroupSettings(name: "B", transferKeywords: ["售前"])]
        }
        #expect(duplicate.code == "invalid_settings")
        let unnamed = try await h.updateSettings { $0.groups = ["a": RoutingGroupSettings(name: " ")] }
        #expect(unnamed.code == "invalid_settings")
        let stored = try await h.postgres.query("SELECT (SELECT count(*) FROM routing.settings), (SELECT count(*) FROM routing.groups)").first
        #expect(try stored?.decode(Int.self, at: 0) == 0)
        #expect(try stored?.decode(Int.self, at: 1) == 0)

        // A chain without a cycle is fine and reaches the table the assigner joins.
        try await configure(h)
        let groups = try await h.postgres.query(
            "SELECT id, agent_capacity, overflow_after_seconds, overflow_to FROM routing.groups ORDER BY id")
        #expect(groups.count == 3)
        #expect(try groups[2].decode(Int?.self, at: 1) == 1)
        #expect(try groups[2].decode(String?.self, at: 3) == nil)
        #expect(try groups[0].decode(String?.self, at: 3) == "presales")
    }

    @Test func membershipRefusalsChangeNothing() async throws {
        let h = try await RoutingHarness.make()
        defer { Task { await h.close() } }
        try await configure(h)
        let agent = try await self.agent(h, "A", capacity: 2, groups: ["presales", "aftersales"])
        for (groups, code) in [(["nowhere"], "unknown_group"), ([""], "unknown_group"), ([], "agent_in_no_group")] as [([String], String)] {
            let id = try await h.apply(AdminUpsertAgent(actorID: .random(), agentID: agent, name: "Renamed", capacity: 5, enabled: true, groups: groups))
            let reply = try await h.reply(to: id)
            #expect(reply.code == code, "\(groups)")
        }
        let row = try await h.postgres.query("SELECT name, capacity, array_to_string(groups, ',') FROM routing.agents WHERE id = $1", [agent.uuid]).first
        #expect(try row?.decode(String.self, at: 0) == "A")
        #expect(try row?.decode(Int.self, at: 1) == 2)
        #expect(try row?.decode(String.self, at: 2) == "aftersales,presales")
        // Without the field, the membership stays.
        try await h.apply(AdminUpsertAgent(actorID: .random(), agentID: agent, name: "A", capacity: 3, enabled: true))
        #expect(try await h.postgres.query("SELECT array_to_string(groups, ',') FROM routing.agents WHERE id = $1", [agent.uuid])
            .first?.decode(String.self, at: 0) == "aftersales,presales")
    }

    @Test func badEntryGroupOrPriorityIsRefusedAndNothingStored() async throws {
        let h = try await RoutingHarness.make()
        defer { Task { await h.close() } }
        try await configure(h)
        #expect(try await message(h, "v1", "你好", group: "nowhere").code == "unknown_group")
        #expect(try await message(h, "v1", "你好", group: "").code == "unknown_group")
        let outOfRange = try await h.applyMalformed(.visitorMessage, [
            "channel": "web-pc", "visitor_id": "v1", "client_message_id": "m-10", "text": "人工", "priority": 10, "group": "vip",
        ])
        #expect(try await h.reply(to: outOfRange).code == "invalid_params")
        let button = try await h.apply(VisitorRequestHuman(channel: "web-pc", visitorID: "v1", group: "nowhere"))
        #expect(try await h.reply(to: button).code == "unknown_group")
        let transferTo = try await h.apply(AgentTransfer(sessionID: .random(), agentID: .random(), toAgentID: nil, toGroup: "nowhere"))
        #expect(try await h.reply(to: transferTo).code == "unknown_group")
        let stored = try await h.postgres.query(
            "SELECT (SELECT count(*) FROM routing.sessions), (SELECT count(*) FROM routing.message_ids)").first
        #expect(try stored?.decode(Int.self, at: 0) == 0)
        #expect(try stored?.decode(Int.self, at: 1) == 0)
    }

    @Test func entryKeywordChannelAndMenuLeadToTheirGroup() async throws {
        let h = try await RoutingHarness.make()
        defer { Task { await h.close() } }
        try await configure(h)
        _ = try await agent(h, "Anyone", capacity: 0, groups: ["presales", "aftersales", "vip"])
        // The widget's entry (data-group): kept while with the bot, used when the visitor asks for a human.
        #expect(try await message(h, "entry", "你好", group: "vip").ok)
        let entry = try #require(try await h.openSession(visitor: "entry"))
        #expect(try await groupOf(entry, h) == "vip")
        #expect(try await message(h, "entry", "人工").ok)
        #expect(try await h.state(of: entry) == "queued")
        #expect(try await groupOf(entry, h) == "vip")
        let queued = try await h.sessionEvents(entry).first { $0.type == .sessionQueued }
        #expect(try queued?.decode(SessionQueued.self).group == "vip")

        // A group's keyword.
        #expect(try await message(h, "keyword", "售后").ok)
        let keyword = try #require(try await h.openSession(visitor: "keyword"))
        #expect(try await h.state(of: keyword) == "queued")
        #expect(try await groupOf(keyword, h) == "aftersales")

        // Two groups serve web-pc: the bot offers them and waits for the choice.
        #expect(try await message(h, "menu", "人工").ok)
        let menu = try #require(try await h.openSession(visitor: "menu"))
        #expect(try await h.state(of: menu) == "bot")
        let offered = try await h.sessionEvents(menu).compactMap { try? $0.decode(MessageAccepted.self) }.last
        #expect(offered?.sender == .bot)
        #expect(offered?.content.text?.contains("售后、售前咨询") == true, "\(String(describing: offered))")
        #expect(offered?.groupChoices == [GroupChoice(group: "aftersales", name: "售后"), GroupChoice(group: "presales", name: "售前咨询")])
        #expect(try await message(h, "menu", "售前咨询").ok)
        #expect(try await h.state(of: menu) == "queued")
        #expect(try await groupOf(menu, h) == "presales")

        // One group serves web-h5's twin channel: the channel decides.
        _ = try await h.updateSettings { $0.groups["vip"]?.channels = ["wechat"] }
        #expect(try await message(h, "channel", "人工", channel: "wechat").ok)
        let channel = try #require(try await h.openSession(channel: "wechat", visitor: "channel"))
        #expect(try await groupOf(channel, h) == "vip")

        // The transfer button from a group's entry (the H5 page's ?group=).
        let button = try await h.apply(VisitorRequestHuman(channel: "web-h5", visitorID: "button", group: "aftersales"))
        #expect(try await h.reply(to: button).ok)
        let pressed = try #require(try await h.openSession(channel: "web-h5", visitor: "button"))
        #expect(try await h.state(of: pressed) == "queued")
        #expect(try await groupOf(pressed, h) == "aftersales")

        // A channel no group serves: the default queue.
        #expect(try await message(h, "plain", "人工", channel: "web-h5").ok)
        let plain = try #require(try await h.openSession(channel: "web-h5", visitor: "plain"))
        #expect(try await h.state(of: plain) == "queued")
        #expect(try await groupOf(plain, h) == nil)
    }

    @Test func queuesArePerGroupAndAMultiGroupAgentTakesTheLongestWaiting() async throws {
        let h = try await RoutingHarness.make()
        defer { Task { await h.close() } }
        try await configure(h)
        let pre = try await agent(h, "Pre", capacity: 0, groups: ["presales"])
        let both = try await agent(h, "Both", capacity: 0, groups: ["presales", "aftersales"])
        var sessions: [String: SessionID] = [:]
        for (visitor, group, priority) in [("a1", "aftersales", 0), ("p1", "presales", 0), ("p2vip", "presales", 9), ("a2", "aftersales", 0)] {
            #expect(try await message(h, visitor, "人工", group: group, priority: priority).ok)
            sessions[visitor] = try #require(try await h.openSession(visitor: visitor))
            try await Task.sleep(for: .milliseconds(5))
        }
        #expect(try await h.engine.drainQueue(using: h.postgres).assigned == 0)
        // Pre serves presales only: the VIP of presales first, FIFO within a priority otherwise.
        try await h.postgres.execute("UPDATE routing.agents SET capacity = 1 WHERE id = $1", [pre.uuid])
        #expect(try await h.engine.drainQueue(using: h.postgres).assigned == 1)
        #expect(try await agentOf(sessions["p2vip"]!, h) == pre)
        // Both serves presales and aftersales: a1 has waited longest among their heads.
        try await h.postgres.execute("UPDATE routing.agents SET capacity = 1 WHERE id = $1", [both.uuid])
        #expect(try await h.engine.drainQueue(using: h.postgres).assigned == 1)
        #expect(try await agentOf(sessions["a1"]!, h) == both)
        try await h.postgres.execute("UPDATE routing.agents SET capacity = 2 WHERE id = $1", [both.uuid])
        #expect(try await h.engine.drainQueue(using: h.postgres).assigned == 1)
        #expect(try await agentOf(sessions["p1"]!, h) == both)
        #expect(try await h.state(of: sessions["a2"]!) == "queued")
        let audit = try await h.postgres.query("SELECT group_id FROM routing.assignment_audit WHERE session_id = $1", [sessions["a1"]!.uuid])
        #expect(try audit.first?.decode(String?.self, at: 0) == "aftersales")
        let assigned = try await h.sessionEvents(sessions["a1"]!).first { $0.type == .sessionAssigned }
        #expect(try assigned?.decode(SessionAssigned.self).group == "aftersales")

        // The waiting-per-group summary (default queue, then the groups by id).
        let summary = try await h.postgres.withConnection { try h.engine.waitingPerGroup(on: $0) }
        #expect(summary.map(\.group) == [nil, "aftersales", "presales", "vip"])
        #expect(summary.map(\.waiting) == [0, 1, 0, 0])
        #expect(summary.map(\.agentsOnline) == [2, 1, 2, 0])
    }

    @Test func aGroupCapacityRuleCapsItsSessionsPerAgent() async throws {
        let h = try await RoutingHarness.make()
        defer { Task { await h.close() } }
        try await configure(h)
        let agent = try await self.agent(h, "V", capacity: 5, groups: ["vip", "presales"])
        for visitor in ["v1", "v2"] { #expect(try await message(h, visitor, "人工", group: "vip").ok) }
        for visitor in ["p1", "p2"] { #expect(try await message(h, visitor, "人工", group: "presales").ok) }
        #expect(try await h.engine.drainQueue(using: h.postgres).assigned == 3)
        #expect(try await h.load(of: agent) == 3)
        let v2 = try #require(try await h.openSession(visitor: "v2"))
        #expect(try await h.state(of: v2) == "queued")
    }

    @Test func overflowMovesAfterTheWaitAndLeaveMessageEndsIt() async throws {
        let h = try await RoutingHarness.make()
        defer { Task { await h.close() } }
        try await configure(h)
        _ = try await agent(h, "Nobody free", capacity: 0, groups: ["presales", "aftersales", "vip"])
        #expect(try await message(h, "a", "人工", group: "aftersales").ok)
        #expect(try await message(h, "v", "人工", group: "vip").ok)
        let a = try #require(try await h.openSession(visitor: "a"))
        let v = try #require(try await h.openSession(visitor: "v"))
        let enqueued = try await h.postgres.query("SELECT enqueued_at FROM routing.sessions WHERE id = $1", [a.uuid]).first?.decode(Date.self, at: 0)
        // Not yet: nothing moves.
        _ = try await h.engine.maintain(using: h.postgres)
        #expect(try await groupOf(a, h) == "aftersales")
        // After the configured wait (the clock moved back instead of waiting).
        try await h.postgres.execute("UPDATE routing.sessions SET group_entered_at = now() - interval '61 seconds' WHERE id = $1", [a.uuid])
        try await h.postgres.execute("UPDATE routing.sessions SET group_entered_at = now() - interval '29 seconds' WHERE id = $1", [v.uuid])
        _ = try await h.engine.maintain(using: h.postgres)
        #expect(try await groupOf(a, h) == "presales")
        #expect(try await h.state(of: a) == "queued")
        #expect(try await h.state(of: v) == "queued")
        let kept = try await h.postgres.query("SELECT enqueued_at FROM routing.sessions WHERE id = $1", [a.uuid]).first?.decode(Date.self, at: 0)
        #expect(kept == enqueued)
        let overflowed = try await h.sessionEvents(a).last { $0.type == .sessionQueued }
        let queued = try overflowed?.decode(SessionQueued.self)
        #expect(queued?.reason == .overflow)
        #expect(queued?.group == "presales")
        // presales has no overflow: it stays. vip's wait runs out: leave-a-message.
        try await h.postgres.execute("UPDATE routing.sessions SET group_entered_at = now() - interval '31 seconds' WHERE id = $1", [v.uuid])
        _ = try await h.engine.maintain(using: h.postgres)
        #expect(try await h.state(of: v) == "left")
        let ended = try await h.sessionEvents(v).last { $0.type == .sessionEnded }
        #expect(try ended?.decode(SessionEnded.self).reason == .queueTimeout)
        #expect(try await h.state(of: a) == "queued")
    }

    @Test func anAgentTransfersToAGroupAndAMemberGetsIt() async throws {
        let h = try await RoutingHarness.make()
        defer { Task { await h.close() } }
        try await configure(h)
        let pre = try await agent(h, "Pre", capacity: 1, groups: ["presales"])
        let after = try await agent(h, "After", capacity: 0, groups: ["aftersales"])
        #expect(try await message(h, "x", "人工", group: "presales").ok)
        try await h.engine.drainQueue(using: h.postgres)
        let session = try #require(try await h.openSession(visitor: "x"))
        #expect(try await agentOf(session, h) == pre)
        let refused = try await h.apply(AgentTransfer(sessionID: session, agentID: pre, toAgentID: nil, toGroup: ""))
        #expect(try await h.reply(to: refused).code == "unknown_group")
        #expect(try await agentOf(session, h) == pre)
        let id = try await h.apply(AgentTransfer(sessionID: session, agentID: pre, toAgentID: nil, toGroup: "aftersales"))
        #expect(try await h.reply(to: id).ok)
        #expect(try await h.state(of: session) == "queued")
        #expect(try await groupOf(session, h) == "aftersales")
        #expect(try await h.load(of: pre) == 0)
        let queued = try await h.sessionEvents(session).last { $0.type == .sessionQueued }
        #expect(try queued?.decode(SessionQueued.self).reason == .transfer)
        // Pre has a free slot but is not in aftersales.
        #expect(try await h.engine.drainQueue(using: h.postgres).assigned == 0)
        try await h.postgres.execute("UPDATE routing.agents SET capacity = 1 WHERE id = $1", [after.uuid])
        #expect(try await h.engine.drainQueue(using: h.postgres).assigned == 1)
        #expect(try await agentOf(session, h) == after)
    }

    @Test func removingAGroupMovesItsQueueToTheDefaultOneAndDropsMemberships() async throws {
        let h = try await RoutingHarness.make()
        defer { Task { await h.close() } }
        try await configure(h)
        let agent = try await self.agent(h, "V", capacity: 0, groups: ["vip", "presales"])
        #expect(try await message(h, "v", "人工", group: "vip").ok)
        let reply = try await h.updateSettings { $0.groups["vip"] = nil }
        #expect(reply.ok)
        let v = try #require(try await h.openSession(visitor: "v"))
        #expect(try await groupOf(v, h) == nil)
        #expect(try await h.postgres.query("SELECT array_to_string(groups, ',') FROM routing.agents WHERE id = $1", [agent.uuid])
            .first?.decode(String.self, at: 0) == "presales")
    }
}

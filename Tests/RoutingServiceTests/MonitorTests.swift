import Foundation
import KefuModel
@testable import RoutingService
import Testing

/// The monitor's (监控) queries equal counts taken from the database at the same moment, and a supervisor
/// transfers and ends any session.
@Suite(.serialized) struct MonitorTests {
    private func items(_ value: JSONValue?) -> [JSONValue] {
        if case .array(let items)? = value { return items }
        return []
    }

    private func ask(_ h: RoutingHarness, _ name: String, _ actor: Actor, _ params: [String: JSONValue] = [:]) async throws -> ReplyResult {
        let id = try await h.apply(QueryRequest(name: name, actor: actor, params: .object(params)))
        return try await h.reply(to: id)
    }

    /// Every page of a paged monitor query.
    private func pages(_ h: RoutingHarness, _ name: String, _ actor: Actor) async throws -> (items: [JSONValue], pages: Int) {
        var all: [JSONValue] = []
        var cursor: String?
        var count = 0
        repeat {
            let reply = try await ask(h, name, actor, cursor.map { ["cursor": .string($0)] } ?? [:])
            #expect(reply.ok, "\(name): \(reply.code ?? "") \(reply.message ?? "")")
            all += items(reply.result?["items"])
            cursor = reply.result?["next_cursor"]?.stringValue
            count += 1
        } while cursor != nil
        return (all, count)
    }

    private func count(_ h: RoutingHarness, _ sql: String) async throws -> Int {
        try await h.postgres.query(sql).first?.decode(Int.self, at: 0) ?? -1
    }

    @Test func snapshotEqualsTheDatabase() async throws {
        let h = try await RoutingHarness.make()
        defer { Task { await h.close() } }
        let supervisor = Actor(role: .supervisor, agentID: .random())
        let wang = try await h.onlineAgent("小王", capacity: 3)
        let li = try await h.onlineAgent("小李", capacity: 2)
        let zhao = try await h.onlineAgent("小赵", capacity: 4)
        try await h.apply(AgentSetStatus(agentID: zhao, status: .stopAccepting))
        try await h.apply(AdminUpsertAgent(actorID: .random(), agentID: .random(), name: "离线", capacity: 5, enabled: true))
        #expect(try await h.updateSettings { $0.queue.maxLength = 1000 }.ok)
        for index in 0..<320 { _ = try await h.requestHuman("v\(index)") }
        try await h.engine.drainQueue(using: h.postgres)

        let summary = try await ask(h, "monitor.summary", supervisor)
        let agentPages = try await pages(h, "monitor.agents", supervisor)
        let queuePages = try await pages(h, "monitor.queue", supervisor)
        // The same moment: nothing changes routing's tables between the queries and these counts.
        let queued = try await count(h, "SELECT count(*) FROM routing.sessions WHERE state = 'queued'")
        let assigned = try await count(h, "SELECT count(*) FROM routing.sessions WHERE state = 'assigned'")
        let agents = try await count(h, "SELECT count(*) FROM routing.agents WHERE enabled")
        let online = try await count(h, "SELECT count(*) FROM routing.agents WHERE enabled AND status = 'online'")
        let present = try await count(h, "SELECT count(*) FROM routing.agents WHERE enabled AND present_until > now()")
        let load = try await count(h, "SELECT coalesce(sum(load), 0)::int FROM routing.agents")

        #expect(queued == 315 && assigned == 5)
        let s = try #require(summary.result)
        #expect(s["agents"] == .integer(Int64(agents)) && agents == 4)
        #expect(s["online"] == .integer(Int64(online)) && online == 2)
        #expect(s["present"] == .integer(Int64(present)))
        #expect(s["load"] == .integer(Int64(load)))
        let queue = try #require(items(s["queues"]).first)
        #expect(items(s["queues"]).count == 1 && queue["group"] == .null)
        #expect(queue["length"] == .integer(Int64(queued)))

        #expect(agentPages.items.count == agents)
        let sessions = agentPages.items.reduce(0) { $0 + items($1["sessions"]).count }
        #expect(sessions == assigned)
        let loads = agentPages.items.reduce(0) { $0 + ($1["load"]?.intValue ?? 0) }
        #expect(loads == load)
        let byID = Dictionary(uniqueKeysWithValues: agentPages.items.map { ($0["agent_id"]?.stringValue ?? "", $0) })
        #expect(items(byID[wang.description]?["sessions"]).count == 3)
        #expect(items(byID[li.description]?["sessions"]).count == 2)
        #expect(byID[zhao.description]?["status"] == .string("stop_accepting"))

        #expect(queuePages.items.count == queued)
        #expect(queuePages.pages >= 2, "the queue does not fit one 64 KiB reply and is paged")
        let order = try await h.postgres.query(
            "SELECT id::text FROM routing.sessions WHERE state = 'queued' ORDER BY priority, enqueued_at, id"
        ).map { try $0.decode(String.self, at: 0) }
        #expect(queuePages.items.compactMap { $0["session_id"]?.stringValue } == order)
        #expect(queuePages.items.allSatisfy { $0["group"] == .null }, "every visitor names its skill group (none here)")

        #expect(try await ask(h, "monitor.summary", .staff(wang, admin: false)).code == "forbidden")
        #expect(try await ask(h, "monitor.summary", .staff(wang, admin: true)).ok)
        let get = try await ask(h, "session.get", supervisor, ["session_id": .string(order[0])])
        #expect(get.ok)
    }

    @Test func supervisorTransfersAndEndsAnySession() async throws {
        let h = try await RoutingHarness.make()
        defer { Task { await h.close() } }
        let supervisor = AgentID.random()
        let wang = try await h.onlineAgent("小王", capacity: 1)
        let session = try await h.requestHuman("v1")
        try await h.engine.drainQueue(using: h.postgres)
        let li = try await h.onlineAgent("小李", capacity: 1)
        let waiting = try await h.requestHuman("v2")
        try await h.engine.drainQueue(using: h.postgres)
        #expect(try await h.state(of: waiting) == "assigned")
        // 小李 is full now: the transfer is refused and nothing moves.
        let full = try await h.apply(SupervisorTransfer(sessionID: session, supervisorID: supervisor, toAgentID: li))
        #expect(try await h.reply(to: full).code == "agent_full")
        let ended = try await h.apply(SupervisorEndSession(sessionID: waiting, supervisorID: supervisor))
        #expect(try await h.reply(to: ended).ok)
        #expect(try await h.state(of: waiting) == "ended")
        _ = try await h.published()
        let moved = try await h.apply(SupervisorTransfer(sessionID: session, supervisorID: supervisor, toAgentID: li, note: "请跟进"))
        #expect(try await h.reply(to: moved).ok)
        #expect(try await h.load(of: wang) == 0)
        #expect(try await h.load(of: li) == 1)
        let transferred = try await h.published().first { $0.type == .sessionTransferred }
        let event = try #require(transferred).data
        #expect(event["from_agent_id"] == .string(wang.description) && event["to_agent_id"] == .string(li.description))
        let again = try await h.apply(SupervisorEndSession(sessionID: waiting, supervisorID: supervisor))
        #expect(try await h.reply(to: again).code == "session_not_active")
    }

    /// With skill groups, the summary has one queue per group (also an empty one) with its name and length, the
    /// agents name their groups, and `monitor.queue` with `group` lists only that queue (`unknown_group` else).
    @Test func oneQueuePerSkillGroup() async throws {
        let h = try await RoutingHarness.make()
        defer { Task { await h.close() } }
        let supervisor = Actor(role: .supervisor, agentID: .random())
        let reply = try await h.updateSettings { settings in
            settings.groups = [
                "presales": RoutingGroupSettings(name: "售前咨询"), "vipcare": RoutingGroupSettings(name: "VIP 专席"),
                "empty": RoutingGroupSettings(name: "空组"),
            ]
        }
        #expect(reply.ok, "\(reply)")
        // Members present at their workbench but 停止接入: the visitors queue and stay queued.
        let member = AgentID.random()
        for (id, name, group) in [(member, "售前小吴", "presales"), (AgentID.random(), "专席小郑", "vipcare")] {
            try await h.apply(AdminUpsertAgent(actorID: .random(), agentID: id, name: name, capacity: 2, enabled: true, groups: [group]))
            try await h.apply(AgentSetStatus(agentID: id, status: .stopAccepting))
            try await h.apply(AgentHeartbeat(agentID: id, ttlSeconds: 300))
        }
        for (index, group) in ["presales", "presales", "vipcare", "presales"].enumerated() {
            let id = try await h.apply(VisitorRequestHuman(channel: "web-pc", visitorID: "g\(index)", group: group))
            #expect(try await h.reply(to: id).ok)
        }
        _ = try await h.requestHuman("plain")
        let summary = try #require(try await ask(h, "monitor.summary", supervisor).result)
        let queues = items(summary["queues"])
        let byGroup = Dictionary(uniqueKeysWithValues: queues.map { ($0["group"]?.stringValue ?? "", $0) })
        #expect(queues.count == 4 && queues.first?["group"] == .null, "\(queues)")
        for (group, name) in [("presales", "售前咨询"), ("vipcare", "VIP 专席"), ("empty", "空组")] {
            let counted = try await count(h, "SELECT count(*)::int FROM routing.sessions WHERE state = 'queued' AND group_id = '\(group)'")
            #expect(byGroup[group]?["length"] == .integer(Int64(counted)) && byGroup[group]?["name"] == .string(name))
        }
        #expect(byGroup["presales"]?["length"] == .integer(3) && byGroup["empty"]?["length"] == .integer(0))
        #expect(byGroup[""]?["length"] == .integer(1))
        #expect((byGroup["presales"]?["oldest_wait_seconds"]?.intValue ?? -1) >= 0)

        let agents = try await pages(h, "monitor.agents", supervisor).items
        let row = agents.first { $0["agent_id"] == .string(member.description) }
        #expect(row?["groups"] == .array([.string("presales")]), "\(agents)")

        let presales = try await ask(h, "monitor.queue", supervisor, ["group": .string("presales")])
        let listed = items(presales.result?["items"])
        #expect(listed.count == 3 && listed.allSatisfy { $0["group"] == .string("presales") })
        #expect(presales.result?["group"] == .string("presales"))
        let plain = items(try await ask(h, "monitor.queue", supervisor, ["group": .null]).result?["items"])
        #expect(plain.count == 1 && plain.first?["visitor_id"] == .string("plain"))
        #expect(items(try await ask(h, "monitor.queue", supervisor).result?["items"]).count == 5)
        #expect(try await ask(h, "monitor.queue", supervisor, ["group": .string("nowhere")]).code == "unknown_group")
    }

    /// 最长等待回复: each session's `waiting_since` is exact — set at assignment, kept by the visitor's next
    /// messages, cleared by the agent's reply, set again by the visitor's next message — and equals the database.
    @Test func waitingForTheAgentsReplyIsExact() async throws {
        let h = try await RoutingHarness.make()
        defer { Task { await h.close() } }
        let supervisor = Actor(role: .supervisor, agentID: .random())
        let wang = try await h.onlineAgent("小王", capacity: 2)
        let session = try await h.requestHuman("w1")
        try await h.engine.drainQueue(using: h.postgres)
        #expect(try await h.state(of: session) == "assigned")
        func waitingSince() async throws -> JSONValue? {
            let agents = try await pages(h, "monitor.agents", supervisor).items
            let row = agents.first { $0["agent_id"] == .string(wang.description) }
            return items(row?["sessions"]).first { $0["session_id"] == .string(session.description) }?["waiting_since"]
        }
        func column() async throws -> Date? {
            try await h.postgres.query("SELECT reply_wait_since FROM routing.sessions WHERE id = $1", [session.uuid])
                .first?.decode(Date?.self, at: 0)
        }
        let assignedAt = try await h.postgres.query("SELECT assigned_at FROM routing.sessions WHERE id = $1", [session.uuid])
            .first?.decode(Date.self, at: 0)
        let atAssignment = try await column()
        #expect(atAssignment != nil && atAssignment == assignedAt, "the new agent owes a reply from the assignment")
        #expect(try await waitingSince()?.stringValue != nil)

        try await h.apply(AgentMessage(sessionID: session, agentID: wang, clientMessageID: "a1", content: .text("您好")))
        #expect(try await column() == nil)
        #expect(try await waitingSince() == .null, "answered: nobody waits")

        _ = try await h.say("w1", "我的订单还没到")
        let first = try #require(try await column())
        try await Task.sleep(for: .milliseconds(20))
        _ = try await h.say("w1", "能帮我查一下吗")
        #expect(try await column() == first, "the wait runs from the first unanswered message")
        let shown = try #require(try await waitingSince()?.stringValue)
        let parsed = try #require(ISO8601DateFormatter.withFractions.date(from: shown))
        #expect(abs(parsed.timeIntervalSince(first)) < 0.002, "\(shown) vs \(first)")

        try await h.apply(AgentMessage(sessionID: session, agentID: wang, clientMessageID: "a2", content: .text("马上查")))
        #expect(try await column() == nil)
    }
}

extension ISO8601DateFormatter {
    fileprivate static var withFractions: ISO8601DateFormatter {
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        return formatter
    }
}

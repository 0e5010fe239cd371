import Foundation
import KefuModel
@testable import RoutingService
import Testing

/// Settings changes, leave-a-message and the `requests:routing` queries with their actor rules.
@Suite(.serialized) struct CommandsAndQueriesTests {
    private func items(_ value: JSONValue?) -> [JSONValue] {
        if case .array(let items)? = value { return items }
        return []
    }

    private func ask(_ h: RoutingHarness, _ name: String, _ actor: Actor, _ params: [String: JSONValue] = [:]) async throws -> ReplyResult {
        let id = try await h.apply(QueryRequest(name: name, actor: actor, params: .object(params)))
        return try await h.reply(to: id)
    }

    @Test func settingsAreValidatedVersionedAndAudited() async throws {
        let h = try await RoutingHarness.make()
        defer { Task { await h.close() } }
        let admin = AgentID.random()
        let badTimezone = try await h.apply(AdminUpdateSettings(actorID: admin, settings: .object([
            "service_hours": .object(["timezone": .string("Mars/Olympus")]),
        ])))
        #expect(try await h.reply(to: badTimezone).code == "invalid_timezone")
        let badTemplate = try await h.apply(AdminUpdateSettings(actorID: admin, settings: .object([
            "queue": .object(["prompt": .string("排第{place}位")]),
        ])))
        #expect(try await h.reply(to: badTemplate).code == "invalid_template")
        let badWindow = try await h.apply(AdminUpdateSettings(actorID: admin, settings: .object([
            "service_hours": .object(["timezone": .string("UTC"), "weekly": .object(["mon": .array([.object(["start": .string("09:00"), "end": .string("09:00")])])])]),
        ])))
        #expect(try await h.reply(to: badWindow).code == "invalid_schedule")
        let unknownKey = try await h.apply(AdminUpdateSettings(actorID: admin, settings: .object(["colour": .string("red")])))
        #expect(try await h.reply(to: unknownKey).code == "invalid_settings")
        #expect(try await h.postgres.query("SELECT count(*) FROM routing.settings").first?.decode(Int.self, at: 0) == 0)

        let good = try await h.apply(AdminUpdateSettings(actorID: admin, expectedVersion: 0, settings: .object([
            "rating_enabled": .bool(true), "queue": .object(["max_length": .integer(50)]),
        ])))
        let reply = try await h.reply(to: good)
        #expect(reply.ok)
        #expect(reply.result?["version"] == .integer(1))
        #expect(reply.result?["changed"] == .array([.string("queue.max_length"), .string("rating_enabled")]))
        let stale = try await h.apply(AdminUpdateSettings(actorID: admin, expectedVersion: 0, settings: .object([:])))
        #expect(try await h.reply(to: stale).code == "version_conflict")

        let audit = try await ask(h, "settings.audit", .staff(admin, admin: true))
        let entries = items(audit.result?["items"])
        #expect(entries.count == 1)
        #expect(entries.first?["actor_id"] == .string(admin.description))
        #expect(entries.first?["changed"] == .array([.string("queue.max_length"), .string("rating_enabled")]))
        let get = try await ask(h, "settings.get", .staff(admin, admin: true))
        #expect(get.result?["version"] == .integer(1))
        #expect(get.result?["settings"]?["queue"]?["max_length"] == .integer(50))
        #expect(try await ask(h, "settings.get", .staff(admin, admin: false)).code == "forbidden")
        let config = try await ask(h, "channel.config", Actor(role: .service), ["channel": .string("web-pc")])
        #expect(config.result?["rating_enabled"] == .bool(true))
        #expect(config.result?["open_now"] == .bool(true))
        #expect(config.result?["files"]?["max_bytes"] == .integer(10 * 1024 * 1024))
        let policy = try await ask(h, "files.policy", Actor(role: .service), [:])
        #expect(policy.result?["allowed_types"] == .array(FileType.allCases.map { .string($0.key) }))
    }

    @Test func leaveMessagesAreStoredMaskedClaimedAndClosed() async throws {
        let h = try await RoutingHarness.make()
        defer { Task { await h.close() } }
        #expect(try await h.updateSettings { $0.sensitiveWords = ["骗子"] }.ok)
        let left = try await h.apply(VisitorLeaveMessage(
            channel: "web-h5", visitorID: "v1", name: "李女士", problemDescription: "你们是骗子吗？发票错了", phone: "+86 138-0000-0000"))
        let entry = try #require(try await h.reply(to: left).result?["leave_message_id"]?.stringValue)
        let event = try #require(try await h.published().first { $0.type == .leaveMessageUpdated }).decode(LeaveMessageUpdated.self)
        #expect(event.state == .unclaimed)
        let wang = try await h.onlineAgent("小王", capacity: 1)
        let li = try await h.onlineAgent("小李", capacity: 1)
        let list = try await ask(h, "leave_messages.list", .staff(wang, admin: false), ["state": .string("unclaimed")])
        guard case .array(let items)? = list.result?["items"] else { Issue.record("no items: \(list)"); return }
        #expect(items.count == 1)
        #expect(items.first?["description"] == .string("你们是**吗？发票错了"))
        let id = try #require(LeaveMessageID(entry))
        let claim = try await h.apply(AgentHandleLeaveMessage(agentID: wang, leaveMessageID: id, action: .claim))
        #expect(try await h.reply(to: claim).ok)
        let again = try await h.apply(AgentHandleLeaveMessage(agentID: li, leaveMessageID: id, action: .claim))
        #expect(try await h.reply(to: again).code == "already_claimed")
        let closeByOther = try await h.apply(AgentHandleLeaveMessage(agentID: li, leaveMessageID: id, action: .close))
        #expect(try await h.reply(to: closeByOther).code == "already_claimed")
        let close = try await h.apply(AgentHandleLeaveMessage(agentID: wang, leaveMessageID: id, action: .close, note: "已电话联系"))
        #expect(try await h.reply(to: close).ok)
        let unknown = try await h.apply(AgentHandleLeaveMessage(agentID: wang, leaveMessageID: .random(), action: .claim))
        #expect(try await h.reply(to: unknown).code == "unknown_leave_message")
        let closed = try await ask(h, "leave_messages.list", .staff(wang, admin: false), ["state": .string("closed")])
        guard case .array(let done)? = closed.result?["items"] else { Issue.record("no items"); return }
        #expect(done.first?["note"] == .string("已电话联系"))
        #expect(try await ask(h, "leave_messages.list", Actor(role: .visitor, channel: "web-h5", visitorID: "v1")).code == "forbidden")
    }

    @Test func sessionQueriesEnforceTheActor() async throws {
        let h = try await RoutingHarness.make()
        defer { Task { await h.close() } }
        let wang = try await h.onlineAgent("小王", capacity: 1)
        let li = try await h.onlineAgent("小李", capacity: 0)
        let session = try await h.requestHuman("v1")
        try await h.engine.drainQueue(using: h.postgres)
        let params: [String: JSONValue] = ["session_id": .string(session.description)]
        let own = try await ask(h, "session.get", Actor(role: .visitor, channel: "web-pc", visitorID: "v1"), params)
        #expect(own.result?["state"] == .string("assigned"))
        #expect(own.result?["agents"] == .array([.string(wang.description)]))
        #expect(try await ask(h, "session.get", Actor(role: .visitor, channel: "web-pc", visitorID: "v2"), params).code == "unknown_session")
        #expect(try await ask(h, "session.get", .staff(wang, admin: false), params).ok)
        #expect(try await ask(h, "session.get", .staff(li, admin: false), params).code == "unknown_session")
        #expect(try await ask(h, "session.get", .staff(li, admin: true), params).ok)
        let current = try await ask(h, "visitor.current", Actor(role: .visitor, channel: "web-pc", visitorID: "v1"))
        #expect(current.result?["session"]?["session_id"] == .string(session.description))
        let mine = try await ask(h, "sessions.mine", .staff(wang, admin: false))
        #expect(items(mine.result?["items"]).count == 1)
        let me = try await ask(h, "agent.me", .staff(wang, admin: false))
        #expect(me.result?["load"] == .integer(1) && me.result?["present"] == .bool(true))
        let list = try await ask(h, "agents.list", .staff(li, admin: false), ["online_only": .bool(true)])
        #expect(items(list.result?["items"]).count == 2)
        _ = try await h.requestHuman("v2")
        let summary = try await ask(h, "queue.summary", .staff(li, admin: false))
        #expect(summary.result?["length"] == .integer(1))
        let audit = try await ask(h, "assignments.audit", .staff(li, admin: true), params)
        #expect(items(audit.result?["items"]).first?["agent_id"] == .string(wang.description))
        #expect(try await ask(h, "assignments.audit", .staff(li, admin: false), params).code == "forbidden")
        #expect(try await ask(h, "no.such", .staff(li, admin: true)).code == "unknown_query")
        #expect(try await ask(h, "agents.list", Actor(role: .visitor, channel: "web-pc", visitorID: "v1")).code == "forbidden")
    }
}

import Foundation
import KefuModel
import Postgres
@testable import RoutingService
import ServiceRuntime
import Testing

/// Visitor priority (VIP, issue 15 item 2): a connector's `priority` on `visitor.message` (0–9) or the
/// channel's default; higher is served first, FIFO within a priority; the audit records it.
@Suite(.serialized) struct VisitorPriorityTests {
    private func agentOf(_ session: SessionID, _ h: RoutingHarness) async throws -> AgentID? {
        try await h.postgres.query("SELECT agent_id FROM routing.sessions WHERE id = $1", [session.uuid])
            .first?.decode(UUID?.self, at: 0).map(AgentID.init)
    }

    private func message(_ h: RoutingHarness, _ visitor: String, _ text: String, priority: Int?, channel: String = "web-pc") async throws -> EventID {
        try await h.apply(VisitorMessage(
            channel: channel, visitorID: visitor, clientMessageID: UUID().uuidString, content: .text(text), priority: priority))
    }

    @Test func aVIPOvertakesTheQueueAndEachPriorityStaysFIFO() async throws {
        let h = try await RoutingHarness.make()
        defer { Task { await h.close() } }
        let agent = try await h.onlineAgent("A", capacity: 0)
        var order: [(String, SessionID)] = []
        for (visitor, priority) in [("n1", nil), ("v1", 9), ("n2", 0), ("m1", 5), ("v2", 9), ("m2", 5)] as [(String, Int?)] {
            _ = try await message(h, visitor, "人工", priority: priority)
            let session = try #require(try await h.openSession(visitor: visitor))
            #expect(try await h.state(of: session) == "queued")
            order.append((visitor, session))
        }
        let queued = try await h.postgres.query("SELECT visitor_id, priority, visitor_priority FROM routing.sessions ORDER BY visitor_id")
        let priorities = try Dictionary(uniqueKeysWithValues: queued.map { (try $0.decode(String.self, at: 0), try $0.decode(Int.self, at: 1)) })
        #expect(priorities == ["n1": 10, "n2": 10, "v1": 1, "v2": 1, "m1": 5, "m2": 5])

        var served: [String] = []
        for _ in 0..<6 {
            try await h.postgres.execute("UPDATE routing.agents SET capacity = capacity + 1 WHERE id = $1", [agent.uuid])
            #expect(try await h.engine.drainQueue(using: h.postgres).assigned == 1)
            for (visitor, session) in order where !served.contains(visitor) {
                if try await agentOf(session, h) == agent { served.append(visitor) }
            }
        }
        #expect(served == ["v1", "v2", "m1", "m2", "n1", "n2"])
        let audit = try await h.postgres.query(
            "SELECT visitor_priority FROM routing.assignment_audit WHERE session_id = $1", [order[1].1.uuid])
        #expect(try audit.first?.decode(Int?.self, at: 0) == 9, "the audit records the visitor's priority")
    }

    @Test func aQueuedVisitorMovesUpWhenAConnectorRaisesTheirPriority() async throws {
        let h = try await RoutingHarness.make()
        defer { Task { await h.close() } }
        let agent = try await h.onlineAgent("A", capacity: 0)
        _ = try await message(h, "early", "人工", priority: nil)
        _ = try await message(h, "late", "人工", priority: nil)
        let late = try #require(try await h.openSession(visitor: "late"))
        _ = try await message(h, "late", "我是会员", priority: 7)
        #expect(try await h.postgres.query("SELECT priority FROM routing.sessions WHERE id = $1", [late.uuid])
            .first?.decode(Int.self, at: 0) == 3)
        try await h.postgres.execute("UPDATE routing.agents SET capacity = 1 WHERE id = $1", [agent.uuid])
        #expect(try await h.engine.drainQueue(using: h.postgres).assigned == 1)
        #expect(try await agentOf(late, h) == agent)
    }

    /// A visitor who presses 转人工 before writing anything (a signed identity's priority rides on it).
    @Test func theTransferButtonCarriesThePriorityToo() async throws {
        let h = try await RoutingHarness.make()
        defer { Task { await h.close() } }
        let agent = try await h.onlineAgent("A", capacity: 0)
        _ = try await message(h, "first", "人工", priority: nil)
        _ = try await h.apply(VisitorRequestHuman(channel: "web-pc", visitorID: "vip", priority: 8))
        let vip = try #require(try await h.openSession(visitor: "vip"))
        #expect(try await h.state(of: vip) == "queued")
        let row = try #require(try await h.postgres.query(
            "SELECT priority, visitor_priority FROM routing.sessions WHERE id = $1", [vip.uuid]).first)
        #expect(try row.decode(Int.self, at: 0) == 2 && row.decode(Int?.self, at: 1) == 8)
        try await h.postgres.execute("UPDATE routing.agents SET capacity = 1 WHERE id = $1", [agent.uuid])
        #expect(try await h.engine.drainQueue(using: h.postgres).assigned == 1)
        #expect(try await agentOf(vip, h) == agent, "the VIP who pressed the button is served before the earlier visitor")
        #expect(throws: ContractError.self) { try VisitorRequestHuman(channel: "web-pc", visitorID: "x", priority: 10).validate() }
    }

    @Test func aChannelDefaultAppliesUnlessTheConnectorGivesOne() async throws {
        let h = try await RoutingHarness.make()
        defer { Task { await h.close() } }
        try await h.onlineAgent("A", capacity: 0)
        let set = try await h.updateSettings { settings in
            settings.channels["vip-app"] = RoutingChannelSettings(priority: 6)
        }
        #expect(set.ok, "\(set)")
        let fromChannel = try await h.requestHuman("app-user", channel: "vip-app")
        _ = try await message(h, "app-normal", "人工", priority: 0, channel: "vip-app")
        let rows = try await h.postgres.query(
            "SELECT visitor_id, priority FROM routing.sessions WHERE channel = 'vip-app' ORDER BY visitor_id")
        let byVisitor = try Dictionary(uniqueKeysWithValues: rows.map { (try $0.decode(String.self, at: 0), try $0.decode(Int.self, at: 1)) })
        #expect(byVisitor == ["app-normal": 10, "app-user": 4])
        #expect(try await h.state(of: fromChannel) == "queued")

        let refused = try await h.updateSettings { settings in
            settings.channels["vip-app"] = RoutingChannelSettings(priority: 10)
        }
        #expect(!refused.ok)
        #expect("\(refused)".contains("channels.vip-app.priority"), "\(refused)")
    }

    @Test func aPriorityOutsideZeroToNineIsRefusedAndNothingIsApplied() async throws {
        let h = try await RoutingHarness.make()
        defer { Task { await h.close() } }
        let id = try await h.applyMalformed(.visitorMessage, [
            "channel": "web-pc", "visitor_id": "bad", "client_message_id": "m1", "text": "人工", "priority": 12,
        ])
        let reply = try await h.reply(to: id)
        #expect(!reply.ok)
        #expect("\(reply)".contains("priority"), "\(reply)")
        #expect(try await h.openSession(visitor: "bad") == nil)
    }
}

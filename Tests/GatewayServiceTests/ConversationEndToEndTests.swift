import Foundation
import KefuModel
import Testing

/// A whole conversation through the gateway with the real `kefu-routing` and `kefu-store`: visitor → bot →
/// human → reply → end → rating, over real HTTP and WebSocket clients, the agent on a second gateway
/// instance.
@Suite(.serialized)
struct ConversationEndToEndTests {
    static func events(_ probe: SocketProbe, _ session: String) -> [String] {
        probe.received.filter { $0["type"]?.stringValue == "event" && $0["session_id"]?.stringValue == session }
            .compactMap { $0["event"]?.stringValue }
    }

    @Test func visitorBotHumanReplyEndAndRating() async throws {
        let harness = try await GatewayHarness()
        defer { Task { await harness.shutdown() } }
        try await harness.addInstance()
        try await harness.launchService("routing")
        try await harness.launchService("store")
        let admin = try await harness.login()
        let agent = try await harness.makeAgent("erin", admin: admin.access)

        // The admin turns the satisfaction rating on (routing's settings document, with a version guard).
        let current = try await harness.request("GET", "/api/v1/admin/settings", token: admin.access)
        #expect(current.status == 200, "\(current.text)")
        var settings = try #require(current.json?["settings"]?.objectValue)
        settings["rating_enabled"] = .bool(true)
        let put = try await harness.request("PUT", "/api/v1/admin/settings", token: admin.access, json: .object([
            "settings": .object(settings), "expected_version": current.json?["version"] ?? .integer(0),
        ]))
        #expect(put.status == 200, "\(put.text)")
        let stale = try await harness.request("PUT", "/api/v1/admin/settings", token: admin.access, json: .object([
            "settings": .object(settings), "expected_version": current.json?["version"] ?? .integer(0),
        ]))
        #expect(stale.status == 409, "\(stale.text)")

        let workbench = SocketProbe(url: "\(harness.wsBase(1))/api/v1/agent/ws", bearer: agent.access)
        #expect(await workbench.wait { $0.contains { $0["type"]?.stringValue == "hello" } }, "\(workbench.received)")
        var online = try await harness.request("PUT", "/api/v1/agent/status", token: agent.access, json: .object(["status": "online"]), instance: 1)
        let accepted = try await harness.eventually(timeout: .seconds(15)) {
            // Routing learns the account from admin.upsert_agent (through the gateway's outbox).
            if online.status == 200 { return true }
            try await Task.sleep(for: .milliseconds(200))
            online = try await harness.request("PUT", "/api/v1/agent/status", token: agent.access, json: .object(["status": "online"]), instance: 1)
            return online.status == 200
        }
        #expect(accepted, "status: \(online.status) \(online.text)")

        let visitor = try await harness.visitor(instance: 0)
        let widget = SocketProbe(url: "\(harness.wsBase(0))/api/v1/visitor/ws?token=\(visitor.token)")
        #expect(await widget.wait { $0.contains { $0["type"]?.stringValue == "hello" } })
        let first = try await harness.request(
            "POST", "/api/v1/visitor/messages", token: visitor.token, json: .object(["client_message_id": "e1", "text": "你好"]))
        #expect(first.status == 200, "\(first.text)")
        #expect(await widget.wait { frames in frames.contains { $0["event"]?.stringValue == "session.created" } }, "\(widget.received)")
        let session = try #require(widget.received.first { $0["event"]?.stringValue == "session.created" }?["session_id"]?.stringValue)

        let human = try await harness.request(
            "POST", "/api/v1/visitor/request-human", token: visitor.token, json: .object(["session_id": .string(session)]))
        #expect(human.status == 200, "\(human.text)")
        #expect(await workbench.wait(timeout: .seconds(15)) { _ in Self.events(workbench, session).contains("session.assigned") },
                "workbench: \(workbench.received)")

        let reply = try await harness.request(
            "POST", "/api/v1/agent/sessions/\(session)/messages", token: agent.access,
            json: .object(["client_message_id": "w1", "text": "您好，请问有什么可以帮您？"]), instance: 1)
        #expect(reply.status == 200, "\(reply.text)")
        #expect(await widget.wait { frames in
            frames.contains { $0["event"]?.stringValue == "message.accepted" && $0["data"]?["sender"]?.stringValue == "agent" }
        }, "widget: \(widget.received)")

        let end = try await harness.request("POST", "/api/v1/agent/sessions/\(session)/end", token: agent.access, instance: 1)
        #expect(end.status == 200, "\(end.text)")
        #expect(await widget.wait { _ in Self.events(widget, session).contains("session.ended") })
        let ended = widget.received.first { $0["event"]?.stringValue == "session.ended" }
        #expect(ended?["data"]?["rating_invited"] == .bool(true))
        let rating = try await harness.request(
            "POST", "/api/v1/visitor/rating", token: visitor.token, json: .object(["session_id": .string(session), "stars": 5]))
        #expect(rating.status == 200, "\(rating.text)")
        #expect(await widget.wait { _ in Self.events(widget, session).contains("rating.recorded") })
        let again = try await harness.request(
            "POST", "/api/v1/visitor/rating", token: visitor.token, json: .object(["session_id": .string(session), "stars": 4]))
        #expect(again.status == 409, "\(again.text)")

        // Every sequenced event reached the widget once, in order, without gaps.
        let seqs = widget.seqs(session)
        #expect(seqs == Array(1...(seqs.last ?? 0)), "\(seqs)")
        let stored = try await harness.eventually {
            let page = try await harness.request("GET", "/api/v1/visitor/history?session_id=\(session)&kinds=all", token: visitor.token)
            return page.json?["last_seq"]?.intValue == seqs.last
        }
        #expect(stored)
        await widget.close()
        await workbench.close()
    }
}

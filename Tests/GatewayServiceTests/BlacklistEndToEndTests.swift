import Foundation
import KefuModel
import Testing

/// The blacklist through the gateway with the real `kefu-routing`: the serving agent blocks, the visitor's
/// next send answers 403 with the neutral prompt and the widget gets `visitor.refused`, the admin lists and
/// lifts the block, and the visitor is let in again.
@Suite(.serialized)
struct BlacklistEndToEndTests {
    @Test func blockRefuseListLift() async throws {
        let harness = try await GatewayHarness()
        defer { Task { await harness.shutdown() } }
        try await harness.launchService("routing")
        let admin = try await harness.login()
        let agent = try await harness.makeAgent("frank", admin: admin.access)
        var online = try await harness.request("PUT", "/api/v1/agent/status", token: agent.access, json: .object(["status": "online"]))
        let accepted = try await harness.eventually(timeout: .seconds(15)) {
            if online.status == 200 { return true }
            try await Task.sleep(for: .milliseconds(200))
            online = try await harness.request("PUT", "/api/v1/agent/status", token: agent.access, json: .object(["status": "online"]))
            return online.status == 200
        }
        #expect(accepted, "status: \(online.status) \(online.text)")

        let visitor = try await harness.visitor()
        let widget = SocketProbe(url: "\(harness.wsBase(0))/api/v1/visitor/ws?token=\(visitor.token)")
        #expect(await widget.wait { $0.contains { $0["type"]?.stringValue == "hello" } })
        let human = try await harness.request("POST", "/api/v1/visitor/request-human", token: visitor.token, json: .object([:]))
        #expect(human.status == 200, "\(human.text)")
        let session = try #require(human.json?["session_id"]?.stringValue)
        let assigned = try await harness.eventually(timeout: .seconds(15)) {
            let mine = try await harness.request("GET", "/api/v1/agent/sessions", token: agent.access)
            return mine.text.contains(session)
        }
        #expect(assigned, "the session was not assigned")

        let block = try await harness.request(
            "POST", "/api/v1/agent/sessions/\(session)/block", token: agent.access, json: .object(["reason": "辱骂客服"]))
        #expect(block.status == 200, "\(block.text)")
        let blockID = try #require(block.json?["block_id"]?.stringValue)
        #expect(await widget.wait { frames in frames.contains { $0["event"]?.stringValue == "session.ended" } }, "\(widget.received)")

        let refused = try await harness.request(
            "POST", "/api/v1/visitor/messages", token: visitor.token, json: .object(["client_message_id": "b1", "text": "在吗"]))
        #expect(refused.status == 403, "\(refused.text)")
        #expect(refused.errorCode == "visitor_blocked")
        #expect(refused.json?["error"]?["message"]?.stringValue == "消息暂时无法发送，请稍后再试。")
        #expect(await widget.wait { frames in frames.contains { $0["event"]?.stringValue == "visitor.refused" } }, "\(widget.received)")
        let again = try await harness.request(
            "POST", "/api/v1/agent/sessions/\(session)/block", token: agent.access, json: .object(["reason": "再次"]))
        #expect(again.status == 409 && again.errorCode == "session_not_active", "\(again.text)")

        let listed = try await harness.request("GET", "/api/v1/admin/blocks?active=true", token: admin.access)
        #expect(listed.status == 200, "\(listed.text)")
        var item: JSONValue?
        if case .array(let items)? = listed.json?["items"] { item = items.first }
        #expect(item?["block_id"]?.stringValue == blockID && item?["visitor_id"]?.stringValue == visitor.visitorID)
        #expect(item?["reason"]?.stringValue == "辱骂客服" && item?["until"] == .null)
        let lift = try await harness.request("POST", "/api/v1/admin/blocks/\(blockID)/lift", token: admin.access)
        #expect(lift.status == 200, "\(lift.text)")
        let twice = try await harness.request("POST", "/api/v1/admin/blocks/\(blockID)/lift", token: admin.access)
        #expect(twice.status == 409 && twice.errorCode == "already_lifted", "\(twice.text)")
        let back = try await harness.request(
            "POST", "/api/v1/visitor/messages", token: visitor.token, json: .object(["client_message_id": "b2", "text": "你好"]))
        #expect(back.status == 200, "\(back.text)")
    }
}

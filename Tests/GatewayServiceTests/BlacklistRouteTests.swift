import Foundation
import KefuModel
import Testing

/// The visitor blacklist through real HTTP: the agent's block route and the admin's list and lift routes
/// write the commands routing expects (actor from the token), and a blocked visitor's send and transfer
/// request answer 403 with the neutral prompt.
@Suite(.serialized)
struct BlacklistRouteTests {
    static let session = "3f2c8a4e-6b1d-4c8e-9a7f-2d5e8b1c4a90"
    static let block = "5b6c7d8e-9f01-4a2b-8c3d-4e5f60718293"
    static let prompt = "消息暂时无法发送，请稍后再试。"

    @Test func agentsBlockAndAdminsListAndLift() async throws {
        let harness = try await GatewayHarness()
        defer { Task { await harness.shutdown() } }
        let admin = try await harness.login()
        let agent = try await harness.makeAgent("erin", admin: admin.access)
        harness.responder.answer { request in
            switch (request.type, request.name) {
            case ("agent.block_visitor", _):
                return .success(.object(["block_id": .string(Self.block), "session_id": .string(Self.session), "until": .null]))
            case ("admin.lift_block", _):
                return request.data["block_id"]?.stringValue == Self.block
                    ? .success(.object(["block_id": .string(Self.block)]))
                    : .failure(code: "unknown_block", message: "no such block")
            case ("query.request", "blocks.list"):
                return .success(.object(["items": .array([])]))
            default:
                return nil
            }
        }
        let blocked = try await harness.request(
            "POST", "/api/v1/agent/sessions/\(Self.session)/block", token: agent.access,
            json: .object(["reason": "辱骂客服", "duration_minutes": 1440]))
        #expect(blocked.status == 200, "\(blocked.text)")
        #expect(blocked.json?["block_id"]?.stringValue == Self.block)
        let command = try #require(harness.responder.requests.first { $0.type == "agent.block_visitor" })
        #expect(command.data["agent_id"]?.stringValue == agent.agentID, "agent_id comes from the token")
        #expect(command.data["session_id"]?.stringValue == Self.session)
        #expect(command.data["reason"]?.stringValue == "辱骂客服" && command.data["duration_minutes"] == .integer(1440))
        #expect(command.replyTo != nil)

        // Bad input never reaches routing.
        for body: JSONValue in [
            .object(["reason": ""]), .object(["reason": .string(String(repeating: "长", count: 201))]),
            .object(["reason": "x", "duration_minutes": 0]), .object(["reason": "x", "duration_minutes": 525_601]), .object([:]),
        ] {
            let refused = try await harness.request(
                "POST", "/api/v1/agent/sessions/\(Self.session)/block", token: agent.access, json: body)
            #expect(refused.status == 400, "\(body) → \(refused.status) \(refused.text)")
        }
        #expect(harness.responder.requests.filter { $0.type == "agent.block_visitor" }.count == 1)

        let list = try await harness.request("GET", "/api/v1/admin/blocks?active=true&visitor_id=v-1", token: admin.access)
        #expect(list.status == 200, "\(list.text)")
        let query = try #require(harness.responder.requests.first { $0.name == "blocks.list" })
        #expect(query.params?["active"] == .bool(true) && query.params?["visitor_id"]?.stringValue == "v-1")
        #expect(query.actor?["role"]?.stringValue == "admin")
        #expect(try await harness.request("GET", "/api/v1/admin/blocks", token: agent.access).status == 403)

        let lift = try await harness.request("POST", "/api/v1/admin/blocks/\(Self.block)/lift", token: admin.access)
        #expect(lift.status == 200, "\(lift.text)")
        let liftCommand = try #require(harness.responder.requests.first { $0.type == "admin.lift_block" })
        #expect(liftCommand.data["actor_id"]?.stringValue == admin.agentID)
        let unknown = try await harness.request("POST", "/api/v1/admin/blocks/\(UUID().uuidString)/lift", token: admin.access)
        #expect(unknown.status == 404 && unknown.errorCode == "unknown_block")
        #expect(try await harness.request("POST", "/api/v1/admin/blocks/\(Self.block)/lift", token: agent.access).status == 403)
    }

    @Test func aBlockedVisitorGets403WithTheNeutralPrompt() async throws {
        let harness = try await GatewayHarness()
        defer { Task { await harness.shutdown() } }
        harness.responder.answer { request in
            switch request.type {
            case "visitor.message", "visitor.request_human":
                return .failure(code: "visitor_blocked", message: Self.prompt)
            case "agent.block_visitor":
                return .failure(code: "cannot_block_agent", message: "the visitor is an agent account")
            default:
                return await VisitorAPITests.standardAnswers(request)
            }
        }
        let visitor = try await harness.visitor()
        let send = try await harness.request(
            "POST", "/api/v1/visitor/messages", token: visitor.token, json: .object(["client_message_id": "m-1", "text": "你好"]))
        #expect(send.status == 403, "\(send.text)")
        #expect(send.errorCode == "visitor_blocked")
        #expect(send.json?["error"]?["message"]?.stringValue == Self.prompt)
        let human = try await harness.request("POST", "/api/v1/visitor/request-human", token: visitor.token, json: .object([:]))
        #expect(human.status == 403 && human.errorCode == "visitor_blocked", "\(human.text)")

        let admin = try await harness.login()
        let colleague = try await harness.request(
            "POST", "/api/v1/agent/sessions/\(Self.session)/block", token: admin.access, json: .object(["reason": "同事"]))
        #expect(colleague.status == 400 && colleague.errorCode == "cannot_block_agent")
    }

    /// 会话记录 › 拉黑: only admins block from the records; the command carries the admin from the token, bad input
    /// is a 400 that never reaches routing, and routing's refusals come back as 4xx JSON.
    @Test func adminsBlockAnySessionsVisitor() async throws {
        let harness = try await GatewayHarness()
        defer { Task { await harness.shutdown() } }
        let admin = try await harness.login()
        let agent = try await harness.makeAgent("frank", admin: admin.access)
        harness.responder.answer { request in
            guard request.type == "admin.block_visitor" else { return nil }
            if request.data["reason"]?.stringValue == "再次" { return .failure(code: "already_blocked", message: "already blocked") }
            if request.data["reason"]?.stringValue == "自己" { return .failure(code: "cannot_block_self", message: "that is you") }
            return .success(.object([
                "block_id": .string(Self.block), "session_id": .string(Self.session), "until": .null, "ended_session_id": .null,
            ]))
        }
        let path = "/api/v1/admin/sessions/\(Self.session)/block"
        let blocked = try await harness.request("POST", path, token: admin.access, json: .object(["reason": "发送广告", "duration_minutes": 60]))
        #expect(blocked.status == 200, "\(blocked.text)")
        #expect(blocked.json?["block_id"]?.stringValue == Self.block)
        let command = try #require(harness.responder.requests.first { $0.type == "admin.block_visitor" })
        #expect(command.data["actor_id"]?.stringValue == admin.agentID, "actor_id comes from the token")
        #expect(command.data["session_id"]?.stringValue == Self.session)
        #expect(command.data["reason"]?.stringValue == "发送广告" && command.data["duration_minutes"] == .integer(60))

        #expect(try await harness.request("POST", path, token: agent.access, json: .object(["reason": "x"])).status == 403)
        #expect(try await harness.request("POST", path, json: .object(["reason": "x"])).status == 401)
        for body: JSONValue in [.object(["reason": ""]), .object(["reason": "x", "duration_minutes": 0]), .object([:])] {
            #expect(try await harness.request("POST", path, token: admin.access, json: body).status == 400, "\(body)")
        }
        let badID = try await harness.request("POST", "/api/v1/admin/sessions/nope/block", token: admin.access, json: .object(["reason": "x"]))
        #expect(badID.status == 404 && badID.json?["error"] != nil, "a path that is no session: \(badID.text)")
        #expect(harness.responder.requests.filter { $0.type == "admin.block_visitor" }.count == 1)

        let twice = try await harness.request("POST", path, token: admin.access, json: .object(["reason": "再次"]))
        #expect(twice.status == 409 && twice.json?["error"]?["code"]?.stringValue == "already_blocked", "\(twice.text)")
        let selfBlock = try await harness.request("POST", path, token: admin.access, json: .object(["reason": "自己"]))
        #expect((400..<500).contains(selfBlock.status) && selfBlock.json?["error"]?["code"]?.stringValue == "cannot_block_self")
    }
}

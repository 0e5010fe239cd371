import Foundation
import KefuModel
import Testing

/// The visitor API through real HTTP: sends are idempotent, bad input is refused with nothing written,
/// visitors are isolated, uploads are checked, bursts are limited, silent services time out.
@Suite(.serialized)
struct VisitorAPITests {
    /// A real 2×3 PNG.
    static let png: [UInt8] = [
        0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, 0x00, 0x00, 0x00, 0x0D, 0x49, 0x48, 0x44, 0x52, 0x00, 0x00, 0x00, 0x02,
        0x00, 0x00, 0x00, 0x03, 0x08, 0x02, 0x00, 0x00, 0x00, 0x36, 0x88, 0x49, 0xD6, 0x00, 0x00, 0x00, 0x12, 0x49, 0x44, 0x41,
        0x54, 0x78, 0x9C, 0x63, 0x10, 0x00, 0x03, 0x06, 0x05, 0x30, 0x60, 0x30, 0x00, 0x03, 0x00, 0x12, 0x75, 0x02, 0x41, 0xF0,
        0x10, 0x1F, 0x8F, 0x00, 0x00, 0x00, 0x00, 0x49, 0x45, 0x4E, 0x44, 0xAE, 0x42, 0x60, 0x82,
    ]

    /// Answers like routing and store would for the happy paths.
    static func standardAnswers(_ request: StreamResponder.Request) async -> ReplyResult? {
        switch (request.type, request.name) {
        case ("visitor.message", _):
            return .success(.object(["session_id": "3f2c8a4e-6b1d-4c8e-9a7f-2d5e8b1c4a90", "seq": 1]))
        case ("query.request", "visitor.current"):
            return .success(.object([:]))
        case ("query.request", "channel.config"):
            return .success(.object(["human_enabled": true, "open_now": true]))
        default:
            return nil
        }
    }

    @Test func idempotentSendRetriedThreeTimesWritesOneEntry() async throws {
        let harness = try await GatewayHarness()
        defer { Task { await harness.shutdown() } }
        harness.responder.answer(Self.standardAnswers)
        let started = try await harness.request("POST", "/api/v1/visitor/sessions", json: .object([
            "channel": "web-h5", "attributes": .object(["page_url": "https://shop.example.com/cart", "name": "王先生"]),
        ]), headers: ["User-Agent": "KefuTest/1.0"])
        #expect(started.status == 201, "\(started.text)")
        #expect(started.json?["channel_config"]?["human_enabled"] == .bool(true))
        #expect(started.json?["session"] == .null)
        let visitor = (token: try #require(started.json?["token"]?.stringValue), visitorID: try #require(started.json?["visitor_id"]?.stringValue))
        let resumed = try await harness.request("POST", "/api/v1/visitor/sessions", token: visitor.token, json: .object(["channel": "web-h5"]))
        #expect(resumed.status == 200)
        #expect(resumed.json?["visitor_id"]?.stringValue == visitor.visitorID)
        let otherChannel = try await harness.request("POST", "/api/v1/visitor/sessions", token: visitor.token, json: .object(["channel": "wechat"]))
        #expect(otherChannel.status == 400)
        #expect(otherChannel.errorCode == "invalid_channel")
        let body: JSONValue = .object(["client_message_id": "m-1", "text": "你好"])
        var answers: [String] = []
        for _ in 0..<3 {
            let reply = try await harness.request("POST", "/api/v1/visitor/messages", token: visitor.token, json: body)
            #expect(reply.status == 200, "\(reply.text)")
            answers.append(reply.text)
        }
        #expect(Set(answers).count == 1)
        let different = try await harness.request(
            "POST", "/api/v1/visitor/messages", token: visitor.token, json: .object(["client_message_id": "m-1", "text": "另一句"]))
        #expect(different.status == 409)
        #expect(different.errorCode == "idempotency_conflict")
        try await Task.sleep(for: .milliseconds(300))
        let inbound = try await harness.entries("inbound").filter { $0["type"]?.stringValue == "visitor.message" }
        #expect(inbound.count == 1, "\(inbound.count) visitor.message entries")
        #expect(inbound.first?["data"]?["visitor_id"]?.stringValue == visitor.visitorID)
        #expect(inbound.first?["data"]?["channel"]?.stringValue == "web-h5")
        #expect(inbound.first?["data"]?["attributes"]?["page_url"]?.stringValue == "https://shop.example.com/cart")
        #expect(inbound.first?["data"]?["attributes"]?["user_agent"]?.stringValue == "KefuTest/1.0")
    }

    @Test func badInputIsRefusedAndNothingIsWritten() async throws {
        let harness = try await GatewayHarness(["KEFU_MAX_JSON_BYTES": "4096"])
        defer { Task { await harness.shutdown() } }
        harness.responder.answer(Self.standardAnswers)
        let visitor = try await harness.visitor()
        let path = "/api/v1/visitor/messages"
        let json = ["Content-Type": "application/json"]
        let cases: [(Data, Int, String)] = [
            (Data("{\"client_message_id\":\"x\",\"text\":".utf8), 400, "malformed_json"),
            (Data([0x7B, 0x22, 0x74, 0x65, 0x78, 0x74, 0x22, 0x3A, 0x22, 0xFF, 0xFE, 0x22, 0x7D]), 400, "invalid_utf8"),
            (Data("{\"client_message_id\":5,\"text\":\"hi\"}".utf8), 400, "invalid_field"),
            (Data("{\"text\":\"hi\"}".utf8), 400, "missing_field"),
            (Data("[1,2]".utf8), 400, "invalid_body"),
            (Data("{\"client_message_id\":\"x\",\"text\":\"\(String(repeating: "字", count: 5001))\"}".utf8), 413, "payload_too_large"),
            (Data("{\"client_message_id\":\"x\",\"text\":\"hi\",\"image_id\":\"3f2c8a4e-6b1d-4c8e-9a7f-2d5e8b1c4a90\"}".utf8), 400, "invalid_field"),
            (Data("{\"client_message_id\":\"x\",\"text\":\"   \"}".utf8), 400, "invalid_field"),
            (Data(repeating: 0x20, count: 100_000), 413, "payload_too_large"),
        ]
        for (body, status, code) in cases {
            let reply = try await harness.request("POST", path, token: visitor.token, body: body, headers: json)
            #expect(reply.status == status, "\(code): \(reply.status) \(reply.text)")
            #expect(reply.errorCode == code, "\(reply.text)")
        }
        let long = try await harness.request(
            "POST", path, token: visitor.token, json: .object(["client_message_id": "y", "text": .string(String(repeating: "a", count: 5001))]),
            headers: [:])
        #expect(long.status == 413 || long.status == 400)
        let xml = try await harness.request("POST", path, token: visitor.token, body: Data("<a/>".utf8), headers: ["Content-Type": "application/xml"])
        #expect(xml.status == 415)
        try await Task.sleep(for: .milliseconds(200))
        #expect(try await harness.entries("inbound").isEmpty, "bad input reached the inbound stream")
        let healthy = try await harness.request("POST", path, token: visitor.token, json: .object(["client_message_id": "ok", "text": "还在吗"]))
        #expect(healthy.status == 200, "\(healthy.text)")
    }

    @Test func uploadsAreCheckedByBytesAndSize() async throws {
        let harness = try await GatewayHarness()
        defer { Task { await harness.shutdown() } }
        let imageID = "a1b2c3d4-e5f6-4a7b-8c9d-0e1f2a3b4c5d"
        harness.responder.answer { request in
            guard request.name == "image.put", let key = request.params?["blob_key"]?.stringValue else {
                return await Self.standardAnswers(request)
            }
            return .success(.object(["image_id": .string(imageID), "size": .integer(Int64(key.count))]))
        }
        let visitor = try await harness.visitor()
        let ok = try await harness.request("POST", "/api/v1/visitor/images", token: visitor.token, body: Data(Self.png))
        #expect(ok.status == 201, "\(ok.text)")
        #expect(ok.json?["image_id"]?.stringValue == imageID)
        #expect(ok.json?["mime_type"]?.stringValue == "image/png")
        #expect(ok.json?["width"] == .integer(2))
        #expect(ok.json?["height"] == .integer(3))
        let put = try #require(harness.responder.requests.first { $0.name == "image.put" })
        #expect(put.params?["mime_type"]?.stringValue == "image/png")
        let key = try #require(put.params?["blob_key"]?.stringValue)
        let stored = try await harness.redis.send(["GET", key])
        #expect(stored.bytes == Self.png)

        let named = try await harness.request("POST", "/api/v1/visitor/images", token: visitor.token, body: Data("GIF? no, text".utf8), headers: ["Content-Type": "image/png"])
        #expect(named.status == 415)
        #expect(named.errorCode == "unsupported_image")
        let magicOnly = try await harness.request(
            "POST", "/api/v1/visitor/images", token: visitor.token, body: Data(Array(Self.png.prefix(8)) + Array(repeating: 7, count: 64)))
        #expect(magicOnly.status == 400)
        #expect(magicOnly.errorCode == "invalid_image")
        var badCRC = Self.png
        badCRC[20] = 0x7F
        #expect(try await harness.request("POST", "/api/v1/visitor/images", token: visitor.token, body: Data(badCRC)).errorCode == "invalid_image")
        let gifMagic = try await harness.request("POST", "/api/v1/visitor/images", token: visitor.token, body: Data("GIF89a and then text".utf8))
        #expect(gifMagic.errorCode == "invalid_image")
        let huge = Data(Self.png + Array(repeating: 0, count: 5 * 1024 * 1024))
        let tooLarge = try await harness.request("POST", "/api/v1/visitor/images", token: visitor.token, body: huge)
        #expect(tooLarge.status == 413)
        #expect(harness.responder.requests.filter { $0.name == "image.put" }.count == 1)
    }

    @Test func aVisitorCannotReadAnotherVisitorsSessionOrImage() async throws {
        let harness = try await GatewayHarness()
        defer { Task { await harness.shutdown() } }
        let a = try await harness.visitor()
        let b = try await harness.visitor()
        let session = "3f2c8a4e-6b1d-4c8e-9a7f-2d5e8b1c4a90"
        let image = "a1b2c3d4-e5f6-4a7b-8c9d-0e1f2a3b4c5d"
        // Store owns the rule: only visitor A's actor may read A's session and image.
        harness.responder.answer { request in
            guard let actor = request.actor, actor["role"]?.stringValue == "visitor" else { return nil }
            let owner = actor["visitor_id"]?.stringValue == a.visitorID
            switch request.name {
            case "history.page":
                return owner ? .success(.object(["items": .array([]), "last_seq": 0]))
                    : .failure(code: "unknown_session", message: "no such session")
            case "image.get":
                return owner ? .failure(code: "unknown_image", message: "gone") : .failure(code: "unknown_image", message: "no such image")
            default:
                return await Self.standardAnswers(request)
            }
        }
        let own = try await harness.request("GET", "/api/v1/visitor/history?session_id=\(session)", token: a.token)
        #expect(own.status == 200, "\(own.text)")
        let other = try await harness.request("GET", "/api/v1/visitor/history?session_id=\(session)", token: b.token)
        #expect(other.status == 404)
        #expect(other.errorCode == "unknown_session")
        let otherImage = try await harness.request("GET", "/api/v1/visitor/images/\(image)", token: b.token)
        #expect(otherImage.status == 404)
        let asked = harness.responder.requests.filter { $0.name == "history.page" }.compactMap { $0.actor?["visitor_id"]?.stringValue }
        #expect(asked == [a.visitorID, b.visitorID], "the gateway must pass the authenticated visitor, not one from the request")

        // A forged token (signed with another secret or edited) is refused.
        var forged = Array(a.token)
        forged[forged.count - 3] = forged[forged.count - 3] == "A" ? "B" : "A"
        #expect(try await harness.request("GET", "/api/v1/visitor/session", token: String(forged)).status == 401)
    }

    @Test func burstsGet429WithRetryAfter() async throws {
        let harness = try await GatewayHarness(["KEFU_RATE_VISITOR_PER_MIN": "60", "KEFU_RATE_VISITOR_BURST": "5"])
        defer { Task { await harness.shutdown() } }
        harness.responder.answer(Self.standardAnswers)
        let visitor = try await harness.visitor()
        var statuses: [Int] = []
        var retryAfter: String?
        for index in 0..<12 {
            let reply = try await harness.request(
                "POST", "/api/v1/visitor/messages", token: visitor.token, json: .object(["client_message_id": .string("b-\(index)"), "text": "hi"]))
            statuses.append(reply.status)
            if reply.status == 429 { retryAfter = reply.header("Retry-After") }
        }
        #expect(statuses.filter { $0 == 200 }.count >= 3)
        #expect(statuses.filter { $0 == 429 }.count >= 5, "\(statuses)")
        #expect(Int(retryAfter ?? "") ?? 0 >= 1)
        let other = try await harness.visitor()
        let fresh = try await harness.request("POST", "/api/v1/visitor/messages", token: other.token, json: .object(["client_message_id": "x", "text": "hi"]))
        #expect(fresh.status == 200, "another visitor has its own bucket")
    }

    @Test func perIPLimitApplies() async throws {
        let harness = try await GatewayHarness(["KEFU_RATE_IP_PER_MIN": "60", "KEFU_RATE_IP_BURST": "4"])
        defer { Task { await harness.shutdown() } }
        var statuses: [Int] = []
        for _ in 0..<10 { statuses.append(try await harness.request("GET", "/api/v1/agent/queue").status) }
        #expect(statuses.contains(429), "\(statuses)")
        #expect(try await harness.request("GET", "/health").status == 200, "operational endpoints are not limited")
    }

    @Test func silentServiceGives504() async throws {
        let harness = try await GatewayHarness(["KEFU_GATEWAY_REQUEST_TIMEOUT_MS": "400"])
        defer { Task { await harness.shutdown() } }
        let visitor = try await harness.visitor()
        let started = ContinuousClock.now
        let reply = try await harness.request("GET", "/api/v1/visitor/session", token: visitor.token)
        #expect(reply.status == 504)
        #expect(reply.errorCode == "upstream_timeout")
        #expect(ContinuousClock.now - started < .seconds(3))
        let request = try #require(harness.responder.requests.first { $0.name == "visitor.current" })
        #expect(request.replyTo == harness.stream("replies:gateway-gw0"))
    }

    @Test func refusalCodesMapToStatuses() async throws {
        let harness = try await GatewayHarness()
        defer { Task { await harness.shutdown() } }
        let admin = try await harness.login()
        let session = "3f2c8a4e-6b1d-4c8e-9a7f-2d5e8b1c4a90"
        harness.responder.answer { request in
            switch request.type {
            case "agent.end_session": .failure(code: "session_not_active", message: "the session already ended")
            case "agent.transfer": .failure(code: "agent_full", message: "the target agent is full")
            case "agent.message": .failure(code: "not_your_session", message: "you do not serve this session")
            default: nil
            }
        }
        let end = try await harness.request("POST", "/api/v1/agent/sessions/\(session)/end", token: admin.access)
        #expect(end.status == 409)
        #expect(end.errorCode == "session_not_active")
        let transfer = try await harness.request(
            "POST", "/api/v1/agent/sessions/\(session)/transfer", token: admin.access,
            json: .object(["to_agent_id": "8b0e6f2a-1c3d-4e5f-8a9b-0c1d2e3f4a5b"]))
        #expect(transfer.status == 409)
        let send = try await harness.request(
            "POST", "/api/v1/agent/sessions/\(session)/messages", token: admin.access, json: .object(["client_message_id": "w1", "text": "您好"]))
        #expect(send.status == 409)
        let command = try #require(harness.responder.requests.first { $0.type == "agent.message" })
        #expect(command.data["agent_id"]?.stringValue == admin.agentID, "agent_id comes from the token")
    }
}

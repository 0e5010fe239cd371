import Foundation
import KefuModel
import Synchronization
import Testing
#if canImport(Glibc)
import Glibc
#endif

/// Concurrent resends of one idempotent request, attachments that must be the sender's own uploads, and a
/// gateway that still stops at once afterwards.
@Suite(.serialized)
struct ConcurrencyAndOwnershipTests {
    /// Answers like routing: once per envelope id (a repeated entry is deduplicated and not answered again),
    /// after a short delay so that resends arrive while the first is in flight.
    static func routingOncePerEnvelope() -> @Sendable (StreamResponder.Request) async -> ReplyResult? {
        let seen = Mutex<Set<String>>([])
        return { request in
            switch request.type {
            case "visitor.message", "agent.message":
                guard seen.withLock({ $0.insert(request.id).inserted }) else { return nil }
                try? await Task.sleep(for: .milliseconds(300))
                return .success(.object(["session_id": "3f2c8a4e-6b1d-4c8e-9a7f-2d5e8b1c4a90", "seq": .integer(Int64.random(in: 1...1_000_000))]))
            default:
                return await VisitorAPITests.standardAnswers(request)
            }
        }
    }

    @Test func concurrentResendsAllGetTheOneStoredAnswerAndShutdownStaysClean() async throws {
        let harness = try await GatewayHarness()
        defer { Task { await harness.shutdown() } }
        harness.responder.answer(Self.routingOncePerEnvelope())
        let visitor = try await harness.visitor()
        let admin = try await harness.login()
        let session = "3f2c8a4e-6b1d-4c8e-9a7f-2d5e8b1c4a90"
        let routes: [(path: String, token: String)] = [
            ("/api/v1/visitor/messages", visitor.token), ("/api/v1/agent/sessions/\(session)/messages", admin.access),
        ]
        for route in routes {
            let body: JSONValue = .object(["client_message_id": "same-key", "text": "你好"])
            let replies = try await withThrowingTaskGroup(of: GatewayHarness.Reply.self) { group in
                for _ in 0..<5 { group.addTask { try await harness.request("POST", route.path, token: route.token, json: body) } }
                return try await group.reduce(into: []) { $0.append($1) }
            }
            #expect(replies.map(\.status) == [200, 200, 200, 200, 200], "\(route.path): \(replies.map { "\($0.status) \($0.text)" })")
            #expect(Set(replies.map(\.text)).count == 1, "\(route.path): different answers")
            #expect(replies.filter { $0.header("Idempotent-Replay") == "true" }.count == 4)
            let later = try await harness.request("POST", route.path, token: route.token, json: body)
            #expect(later.status == 200)
            #expect(later.text == replies[0].text)
        }
        let sent = harness.responder.requests.filter { $0.type == "visitor.message" || $0.type == "agent.message" }
        #expect(sent.count == 2, "one entry per route, got \(sent.count)")

        let process = harness.instances[0].process
        kill(process.pid, SIGTERM)
        let stopped = try await harness.eventually(timeout: .seconds(10)) { !process.process.isRunning }
        #expect(stopped, "SIGTERM did not stop the gateway within 10 s")
        #expect(!process.output().contains("CONTINUATION MISUSE"))
    }

    @Test func aSenderCanAttachOnlyItsOwnUploads() async throws {
        let harness = try await GatewayHarness()
        defer { Task { await harness.shutdown() } }
        let images = Mutex<[String]>([])
        harness.responder.answer { request in
            if request.name == "image.put" {
                let id = UUID().uuidString.lowercased()
                images.withLock { $0.append(id) }
                return .success(.object(["image_id": .string(id), "size": 75, "mime_type": "image/png"]))
            }
            if request.type == "visitor.leave_message" { return .success(.object(["leave_message_id": .string(UUID().uuidString.lowercased())])) }
            return await VisitorAPITests.standardAnswers(request)
        }
        let a = try await harness.visitor()
        let b = try await harness.visitor()
        let upload = try await harness.request("POST", "/api/v1/visitor/images", token: a.token, body: Data(VisitorAPITests.png))
        #expect(upload.status == 201, "\(upload.text)")
        let image = try #require(upload.json?["image_id"]?.stringValue)

        let stolen = try await harness.request(
            "POST", "/api/v1/visitor/messages", token: b.token, json: .object(["client_message_id": "s-1", "image_id": .string(image)]))
        #expect(stolen.status == 404, "\(stolen.text)")
        #expect(stolen.errorCode == "unknown_image")
        let stolenLeave = try await harness.request("POST", "/api/v1/visitor/leave-message", token: b.token, json: .object([
            "description": "看图", "phone": "13800000000", "image_ids": .array([.string(image)]),
        ]))
        #expect(stolenLeave.status == 404, "\(stolenLeave.text)")
        let admin = try await harness.login()
        let agentSend = try await harness.request(
            "POST", "/api/v1/agent/sessions/3f2c8a4e-6b1d-4c8e-9a7f-2d5e8b1c4a90/messages", token: admin.access,
            json: .object(["client_message_id": "s-2", "image_id": .string(image)]))
        #expect(agentSend.status == 404, "\(agentSend.text)")
        #expect(harness.responder.requests.filter { $0.type == "visitor.message" || $0.type == "visitor.leave_message" || $0.type == "agent.message" }.isEmpty)

        let own = try await harness.request(
            "POST", "/api/v1/visitor/messages", token: a.token, json: .object(["client_message_id": "o-1", "image_id": .string(image)]))
        #expect(own.status == 200, "\(own.text)")
        let ownLeave = try await harness.request("POST", "/api/v1/visitor/leave-message", token: a.token, json: .object([
            "description": "看图", "phone": "13800000000", "image_ids": .array([.string(image)]),
        ]))
        #expect(ownLeave.status == 200, "\(ownLeave.text)")
    }
}

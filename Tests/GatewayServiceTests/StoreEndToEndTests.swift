import Foundation
import KefuModel
import Testing

/// The gateway with the real `kefu-store`: history pages, image upload and download, visitor isolation
/// and socket resumes served from store's copy of the events stream.
@Suite(.serialized)
struct StoreEndToEndTests {
    @Test func historyImagesIsolationAndResumeFromStore() async throws {
        let harness = try await GatewayHarness()
        defer { Task { await harness.shutdown() } }
        try await harness.launchService("store")
        let a = try await harness.visitor()
        let b = try await harness.visitor()
        let session = UUID().uuidString.lowercased()
        // Routing's part: the session and three messages, as routing writes them to the events stream.
        try await harness.publishEvent("session.created", [
            "session_id": .string(session), "seq": 1, "channel": "web-pc", "visitor_id": .string(a.visitorID),
        ])
        for seq in 2...4 {
            try await harness.publishEvent("message.accepted", RealtimeTests.message(session, seq, visitor: a.visitorID))
        }

        var history: GatewayHarness.Reply?
        let stored = try await harness.eventually(timeout: .seconds(20)) {
            history = try await harness.request("GET", "/api/v1/visitor/history?session_id=\(session)", token: a.token)
            if case .array(let items)? = history?.json?["items"] { return items.count == 3 }
            return false
        }
        #expect(stored, "\(history?.status ?? 0) \(history?.text ?? "")")
        #expect(history?.json?["last_seq"]?.intValue == 4)
        let other = try await harness.request("GET", "/api/v1/visitor/history?session_id=\(session)", token: b.token)
        #expect(other.status == 404, "\(other.text)")

        let upload = try await harness.request(
            "POST", "/api/v1/visitor/images?session_id=\(session)", token: a.token, body: Data(VisitorAPITests.png))
        #expect(upload.status == 201, "\(upload.text)")
        let imageID = try #require(upload.json?["image_id"]?.stringValue)
        let download = try await harness.request("GET", "/api/v1/visitor/images/\(imageID)", token: a.token)
        #expect(download.status == 200)
        #expect(Array(download.body) == VisitorAPITests.png)
        #expect(download.header("Content-Type") == "image/png")
        #expect(try await harness.request("GET", "/api/v1/visitor/images/\(imageID)", token: b.token).status == 404)
        let foreignUpload = try await harness.request(
            "POST", "/api/v1/visitor/images?session_id=\(session)", token: b.token, body: Data(VisitorAPITests.png))
        #expect(foreignUpload.status == 404, "\(foreignUpload.text)")

        let admin = try await harness.login()
        let asAdmin = try await harness.request("GET", "/api/v1/agent/sessions/\(session)/history?kinds=all", token: admin.access)
        #expect(asAdmin.status == 200)
        if case .array(let items)? = asAdmin.json?["items"] { #expect(items.count == 4) }
        let agent = try await harness.makeAgent("dave", admin: admin.access)
        #expect(try await harness.request("GET", "/api/v1/agent/sessions/\(session)/history", token: agent.access).status == 403)

        // A fresh instance has none of these events in memory: the resume comes from store.
        let fresh = try await harness.addInstance()
        let probe = SocketProbe(url: "\(harness.wsBase(fresh))/api/v1/visitor/ws?token=\(a.token)&resume=\(session):1")
        #expect(await probe.wait { _ in probe.seqs(session) == [2, 3, 4] }, "\(probe.received)")
        try await harness.publishEvent("message.accepted", RealtimeTests.message(session, 5, visitor: a.visitorID))
        #expect(await probe.wait { _ in probe.seqs(session) == [2, 3, 4, 5] }, "\(probe.received)")
        await probe.close()
    }
}

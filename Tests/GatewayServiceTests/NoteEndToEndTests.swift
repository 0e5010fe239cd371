import Foundation
import KefuModel
import Testing
@testable import GatewayService

/// Internal notes (内部备注) through the gateway with the real routing and store: the staff's socket gets
/// `note.added`, the visitor's socket, the visitor's history, an API channel's feed and webhooks never do, and
/// the visitor's next message arrives at once although its `seq` comes after the note's.
@Suite(.serialized)
struct NoteEndToEndTests {
    @Test func aNoteReachesStaffOnly() async throws {
        let harness = try await GatewayHarness()
        defer { Task { await harness.shutdown() } }
        for service in ["routing", "store"] { try await harness.launchService(service) }
        let admin = try await harness.login()
        let agent = try await harness.makeAgent("nora", admin: admin.access)
        var online = try await harness.request("PUT", "/api/v1/agent/status", token: agent.access, json: .object(["status": "online"]))
        _ = try await harness.eventually(timeout: .seconds(15)) {
            if online.status == 200 { return true }
            try await Task.sleep(for: .milliseconds(200))
            online = try await harness.request("PUT", "/api/v1/agent/status", token: agent.access, json: .object(["status": "online"]))
            return online.status == 200
        }
        #expect(online.status == 200, "\(online.text)")

        let visitor = try await harness.visitor()
        let widget = SocketProbe(url: "\(harness.wsBase(0))/api/v1/visitor/ws?token=\(visitor.token)")
        #expect(await widget.wait { $0.contains { $0["type"]?.stringValue == "hello" } })
        let human = try await harness.request("POST", "/api/v1/visitor/request-human", token: visitor.token, json: .object([:]))
        let session = try #require(human.json?["session_id"]?.stringValue, "\(human.text)")
        _ = try await harness.eventually(timeout: .seconds(15)) {
            try await harness.request("GET", "/api/v1/agent/sessions", token: agent.access).text.contains(session)
        }
        let workbench = SocketProbe(url: "\(harness.wsBase(0))/api/v1/agent/ws", bearer: agent.access)
        #expect(await workbench.wait { $0.contains { $0["type"]?.stringValue == "hello" } })
        #expect(await widget.wait { $0.contains { $0["event"]?.stringValue == "session.assigned" } }, "\(widget.received)")

        let note = try await harness.request(
            "POST", "/api/v1/agent/sessions/\(session)/notes", token: agent.access,
            json: .object(["client_note_id": "n1", "text": "老客户，上次补发过"]))
        #expect(note.status == 200, "\(note.text)")
        let noteSeq = try #require(note.json?["seq"]?.intValue)
        #expect(await workbench.wait { $0.contains { $0["event"]?.stringValue == "note.added" } }, "\(workbench.received)")
        let byAdmin = try await harness.request(
            "POST", "/api/v1/agent/sessions/\(session)/notes", token: admin.access, json: .object(["client_note_id": "a1", "text": "主管已知悉"]))
        #expect(byAdmin.status == 200, "\(byAdmin.text)")
        let other = try await harness.makeAgent("otto", admin: admin.access)
        let notYours = try await harness.request(
            "POST", "/api/v1/agent/sessions/\(session)/notes", token: other.access, json: .object(["client_note_id": "o1", "text": "看看"]))
        #expect(notYours.status == 409 && notYours.errorCode == "not_your_session", "\(notYours.status) \(notYours.text)")
        let empty = try await harness.request(
            "POST", "/api/v1/agent/sessions/\(session)/notes", token: agent.access, json: .object(["client_note_id": "n2", "text": "  "]))
        #expect(empty.status == 400, "\(empty.text)")
        let visitorTries = try await harness.request(
            "POST", "/api/v1/agent/sessions/\(session)/notes", token: visitor.token, json: .object(["client_note_id": "v1", "text": "x"]))
        #expect(visitorTries.status == 401 || visitorTries.status == 403, "\(visitorTries.status)")

        // The agent's next message follows the notes; the widget gets it at once, without a gap frame.
        let started = ContinuousClock.now
        let sent = try await harness.request(
            "POST", "/api/v1/agent/sessions/\(session)/messages", token: agent.access, json: .object(["client_message_id": "m1", "text": "您好"]))
        #expect(sent.json?["seq"]?.intValue == noteSeq + 2, "\(sent.text)")
        #expect(await widget.wait { $0.contains { $0["event"]?.stringValue == "message.accepted" && $0["data"]?["sender"]?.stringValue == "agent" } },
                "\(widget.received)")
        #expect(ContinuousClock.now - started < .seconds(3), "the visitor's socket was held back by the note's seq")
        #expect(!widget.received.contains { $0["event"]?.stringValue == "note.added" || $0["type"]?.stringValue == "gap" },
                "\(widget.received)")
        #expect(!widget.received.contains { String(describing: $0).contains("老客户") })

        // A visitor's socket resuming from before the notes skips them silently.
        let resumed = SocketProbe(url: "\(harness.wsBase(0))/api/v1/visitor/ws?token=\(visitor.token)")
        #expect(await resumed.wait { $0.contains { $0["type"]?.stringValue == "hello" } })
        resumed.send(.object(["type": "resume", "sessions": .object([session: .integer(Int64(noteSeq - 1))])]))
        #expect(await resumed.wait { $0.contains { $0["seq"]?.intValue == noteSeq + 2 } }, "\(resumed.received)")
        #expect(!resumed.received.contains { $0["event"]?.stringValue == "note.added" || $0["type"]?.stringValue == "gap" })

        // History: staff see the notes, the visitor sees their seqs as hidden.
        var staffItems: [JSONValue] = []
        _ = try await harness.eventually {
            staffItems = items(try await harness.request(
                "GET", "/api/v1/agent/sessions/\(session)/history?kinds=all", token: agent.access).json?["items"])
            return staffItems.filter { $0["type"]?.stringValue == "note.added" }.count == 2
        }
        #expect(staffItems.contains { $0["type"]?.stringValue == "note.added" && $0["data"]?["text"]?.stringValue == "老客户，上次补发过" })
        let page = try await harness.request("GET", "/api/v1/visitor/history?session_id=\(session)&kinds=all", token: visitor.token)
        #expect(page.status == 200, "\(page.text)")
        #expect(!items(page.json?["items"]).contains { $0["type"]?.stringValue == "note.added" }, "\(page.text)")
        #expect(!page.text.contains("老客户"))
        #expect(items(page.json?["hidden_seqs"]).compactMap(\.intValue) == [noteSeq, noteSeq + 1], "\(page.text)")

        // Webhooks cannot subscribe to notes.
        let listed = try await harness.request("GET", "/api/v1/admin/webhooks", token: admin.access)
        #expect(!listed.text.contains("note.added"), "\(listed.text)")
        let subscribe = try await harness.request("POST", "/api/v1/admin/webhooks", token: admin.access, json: .object([
            "url": "http://127.0.0.1:9/hook", "event_types": .array(["note.added"]), "description": "x",
        ]))
        #expect(subscribe.status == 400, "\(subscribe.text)")
        await widget.close()
        await resumed.close()
        await workbench.close()
    }

    @Test func aChannelFeedAndTheWebhookConsumerDropNotes() throws {
        let envelope = try EnvelopeCodec.encode(EventEnvelope(source: "routing", data: NoteAdded(
            sessionID: .random(), seq: 3, agentID: .random(), role: .agent, clientNoteID: "n", text: "内部")))
        #expect(Gateway.feedEvent(TailEntry(id: "1-0", event: envelope), channel: "web-pc", cursor: "1-0") == nil)
        var forged = try #require(try JSONDecoder().decode(JSONValue.self, from: Data(envelope)).objectValue)
        var data = try #require(forged["data"]?.objectValue)
        data["channel"] = "web-pc"
        data["visitor_id"] = "v-1"
        forged["data"] = .object(data)
        let bytes = Array(try JSONEncoder().encode(JSONValue.object(forged)))
        #expect(Gateway.feedEvent(TailEntry(id: "1-0", event: bytes), channel: "web-pc", cursor: "1-0") == nil, "even one naming a visitor")
        #expect(LiveEvent.parse(bytes)?.concerns(channel: "web-pc", visitorID: "v-1") == false)
        #expect(!WebhookEventTypes.known.contains("note.added"))
    }
}

private func items(_ value: JSONValue?) -> [JSONValue] {
    if case .array(let items)? = value { return items }
    return []
}

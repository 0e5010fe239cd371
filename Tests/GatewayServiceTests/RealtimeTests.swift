import Foundation
import KefuModel
import Testing

/// Real-time delivery through real WebSocket and SSE clients: resume with exactly the missed events,
/// gaps filled from store, and several gateway instances serving one conversation.
@Suite(.serialized)
struct RealtimeTests {
    static func message(_ session: String, _ seq: Int, visitor: String, text: String = "消息", sender: String = "bot") -> [String: JSONValue] {
        ["session_id": .string(session), "seq": .integer(Int64(seq)), "channel": "web-pc", "visitor_id": .string(visitor),
         "sender": .string(sender), "text": .string("\(text) \(seq)")]
    }

    @Test func visitorResumeGetsExactlyTheMissedEventsThenLiveOnes() async throws {
        let harness = try await GatewayHarness()
        defer { Task { await harness.shutdown() } }
        let visitor = try await harness.visitor()
        let other = try await harness.visitor()
        let session = UUID().uuidString.lowercased()
        try await harness.publishEvent("session.created", ["session_id": .string(session), "seq": 1, "channel": "web-pc", "visitor_id": .string(visitor.visitorID)])
        for seq in 2...6 { try await harness.publishEvent("message.accepted", Self.message(session, seq, visitor: visitor.visitorID)) }
        try await Task.sleep(for: .milliseconds(400))

        let probe = SocketProbe(url: "\(harness.wsBase())/api/v1/visitor/ws?token=\(visitor.token)&resume=\(session):3")
        #expect(await probe.wait { $0.contains { $0["type"]?.stringValue == "hello" } }, "\(probe.received)")
        #expect(await probe.wait { _ in probe.seqs(session) == [4, 5, 6] }, "\(probe.seqs(session))")

        try await harness.publishEvent("message.accepted", Self.message(session, 5, visitor: visitor.visitorID))
        try await harness.publishEvent("message.accepted", Self.message(UUID().uuidString.lowercased(), 1, visitor: other.visitorID))
        try await harness.publishEvent("message.accepted", Self.message(session, 7, visitor: visitor.visitorID))
        #expect(await probe.wait { _ in probe.seqs(session) == [4, 5, 6, 7] }, "\(probe.seqs(session))")
        try await Task.sleep(for: .milliseconds(300))
        #expect(probe.seqs(session) == [4, 5, 6, 7], "duplicate or foreign event: \(probe.received)")
        #expect(probe.received.allSatisfy { $0["data"]?["visitor_id"] == nil || $0["data"]?["visitor_id"]?.stringValue == visitor.visitorID })

        // Reconnect mid-conversation with a resume frame: exactly 6 and 7 (already sent 5), then live.
        await probe.close()
        let again = SocketProbe(url: "\(harness.wsBase())/api/v1/visitor/ws", bearer: visitor.token)
        #expect(await again.wait { $0.contains { $0["type"]?.stringValue == "hello" } })
        again.send(.object(["type": "resume", "sessions": .object([session: 5])]))
        #expect(await again.wait { _ in again.seqs(session) == [6, 7] }, "\(again.seqs(session))")
        try await harness.publishEvent("message.accepted", Self.message(session, 8, visitor: visitor.visitorID))
        #expect(await again.wait { _ in again.seqs(session) == [6, 7, 8] }, "\(again.seqs(session))")

        // Garbage frames get an error frame; the socket keeps working.
        again.send(.string("not a frame"))
        again.send(.object(["type": "dance"]))
        again.send(.object(["type": "ping"]))
        #expect(await again.wait { frames in
            frames.contains { $0["code"]?.stringValue == "invalid_frame" } && frames.contains { $0["code"]?.stringValue == "unknown_frame" }
                && frames.contains { $0["type"]?.stringValue == "pong" }
        }, "\(again.received)")
        try await harness.publishEvent("message.accepted", Self.message(session, 9, visitor: visitor.visitorID))
        #expect(await again.wait { _ in again.seqs(session) == [6, 7, 8, 9] })

        // Without a token the upgrade is refused.
        await again.close()
        let anonymous = try await harness.request("GET", "/api/v1/visitor/ws")
        #expect(anonymous.status == 401)
    }

    @Test func olderEventsComeFromStoreAndGapsAreFilled() async throws {
        let harness = try await GatewayHarness()
        defer { Task { await harness.shutdown() } }
        let visitor = try await harness.visitor()
        let session = UUID().uuidString.lowercased()
        // Store holds seq 1-9; this gateway has seen none of them (they predate it).
        let stored: [JSONValue] = (1...9).map { seq in
            .object(["seq": .integer(Int64(seq)), "type": "message.accepted", "time": "2026-01-01T00:00:00.000Z",
                     "data": .object(Self.message(session, seq, visitor: visitor.visitorID))])
        }
        harness.responder.answer { request in
            guard request.name == "history.page", request.actor?["visitor_id"]?.stringValue == visitor.visitorID else { return nil }
            let after = request.params?["after_seq"]?.intValue ?? 0
            let items = stored.filter { ($0["seq"]?.intValue ?? 0) > after }.prefix(3)
            var result: [String: JSONValue] = ["items": .array(Array(items)), "last_seq": 9]
            if let last = items.last?["seq"], (last.intValue ?? 0) < 9 { result["next_after_seq"] = last }
            return .success(.object(result))
        }
        let probe = SocketProbe(url: "\(harness.wsBase())/api/v1/visitor/ws?token=\(visitor.token)&resume=\(session):2")
        #expect(await probe.wait { _ in probe.seqs(session) == Array(3...9) }, "\(probe.seqs(session))")
        #expect(harness.responder.requests.first { $0.name == "history.page" }?.params?["kinds"]?.stringValue == "all")

        // A live event that jumps ahead (11 after 9) makes the gateway fetch the gap (10) from store first.
        let gapItem: JSONValue = .object(["seq": 10, "type": "message.accepted", "time": "2026-01-01T00:00:01.000Z",
                                          "data": .object(Self.message(session, 10, visitor: visitor.visitorID))])
        harness.responder.answer { request in
            guard request.name == "history.page" else { return nil }
            return .success(.object(["items": .array([gapItem]), "last_seq": 10]))
        }
        try await harness.publishEvent("message.accepted", Self.message(session, 11, visitor: visitor.visitorID))
        #expect(await probe.wait { _ in probe.seqs(session) == Array(3...11) }, "\(probe.seqs(session))")
        await probe.close()
    }

    @Test func aSecondInstanceServesTheAgentWhileTheFirstServesTheVisitor() async throws {
        let harness = try await GatewayHarness()
        defer { Task { await harness.shutdown() } }
        try await harness.addInstance()
        harness.responder.answer(VisitorAPITests.standardAnswers)
        let admin = try await harness.login()
        let agent = try await harness.makeAgent("carol", admin: admin.access)
        let visitor = try await harness.visitor(instance: 0)
        let session = UUID().uuidString.lowercased()
        harness.responder.answer { request in
            if request.name == "sessions.mine" { return .success(.object(["items": .array([])])) }
            return await VisitorAPITests.standardAnswers(request)
        }

        let visitorSocket = SocketProbe(url: "\(harness.wsBase(0))/api/v1/visitor/ws", bearer: visitor.token)
        let agentSocket = SocketProbe(url: "\(harness.wsBase(1))/api/v1/agent/ws", bearer: agent.access)
        #expect(await agentSocket.wait { $0.contains { $0["type"]?.stringValue == "hello" } }, "\(agentSocket.received)")
        #expect(await visitorSocket.wait { $0.contains { $0["type"]?.stringValue == "hello" } })

        let sent = try await harness.request(
            "POST", "/api/v1/visitor/messages", token: visitor.token, json: .object(["client_message_id": "c1", "text": "人工"]), instance: 0)
        #expect(sent.status == 200, "\(sent.text)")
        // Routing's part, written as routing writes it:
        try await harness.publishEvent("message.accepted", Self.message(session, 1, visitor: visitor.visitorID, text: "人工", sender: "visitor"))
        try await harness.publishEvent("session.assigned", [
            "session_id": .string(session), "seq": 2, "channel": "web-pc", "visitor_id": .string(visitor.visitorID),
            "agent_id": .string(agent.agentID), "agent_name": "客服carol",
        ])
        var reply = Self.message(session, 3, visitor: visitor.visitorID, text: "您好", sender: "agent")
        reply["agent_id"] = .string(agent.agentID)
        try await harness.publishEvent("message.accepted", reply)

        #expect(await agentSocket.wait { _ in agentSocket.seqs(session) == [2, 3] }, "agent: \(agentSocket.received)")
        #expect(await visitorSocket.wait { _ in visitorSocket.seqs(session) == [1, 2, 3] }, "visitor: \(visitorSocket.received)")

        // The workbench socket keeps the agent present.
        let heartbeats = try await harness.eventually {
            try await harness.entries("commands").filter {
                $0["type"]?.stringValue == "agent.heartbeat" && $0["data"]?["agent_id"]?.stringValue == agent.agentID
            }.count >= 2
        }
        #expect(heartbeats)

        // After the session ends the agent stops getting its events.
        try await harness.publishEvent("session.ended", [
            "session_id": .string(session), "seq": 4, "channel": "web-pc", "visitor_id": .string(visitor.visitorID),
            "reason": "agent", "agent_id": .string(agent.agentID), "human": true, "rating_invited": true,
        ])
        try await harness.publishEvent("rating.recorded", [
            "session_id": .string(session), "seq": 5, "channel": "web-pc", "visitor_id": .string(visitor.visitorID), "stars": 5,
        ])
        #expect(await visitorSocket.wait { _ in visitorSocket.seqs(session) == [1, 2, 3, 4, 5] })
        #expect(await agentSocket.wait { _ in agentSocket.seqs(session) == [2, 3, 4] })
        try await Task.sleep(for: .milliseconds(300))
        #expect(agentSocket.seqs(session) == [2, 3, 4])
        await agentSocket.close()
        await visitorSocket.close()
    }

    @Test func serverSentEventsResumeFromLastEventID() async throws {
        let harness = try await GatewayHarness()
        defer { Task { await harness.shutdown() } }
        let visitor = try await harness.visitor()
        let session = UUID().uuidString.lowercased()
        for seq in 1...4 { try await harness.publishEvent("message.accepted", Self.message(session, seq, visitor: visitor.visitorID)) }
        try await Task.sleep(for: .milliseconds(400))
        let reader = try SSEReader(port: harness.instances[0].port, path: "/api/v1/visitor/events", headers: [
            "Authorization": "Bearer \(visitor.token)", "Last-Event-ID": "\(session):2",
        ])
        defer { reader.close() }
        let ids = try reader.readIDs(count: 2, timeout: .seconds(10))
        #expect(ids == ["\(session):3", "\(session):4"])
        try await harness.publishEvent("message.accepted", Self.message(session, 5, visitor: visitor.visitorID))
        #expect(try reader.readIDs(count: 1, timeout: .seconds(10)) == ["\(session):5"])
        #expect(reader.headerText.lowercased().contains("content-type: text/event-stream"))
    }
}

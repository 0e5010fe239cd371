import Foundation
import KefuModel
import Testing

/// Typing and read signals (issue 15 item 8): from a visitor's socket on one instance to the serving agent's
/// socket on another, and back, through the capped signals stream only; typing throttled, read marks only
/// forward and given again on resume; refused outside one's sessions.
@Suite(.serialized)
struct SessionSignalTests {
    @Test func typingCrossesInstancesBothWaysThrottledAndOnlyInOnesOwnSession() async throws {
        let harness = try await GatewayHarness()
        defer { Task { await harness.shutdown() } }
        try await harness.addInstance()
        harness.responder.answer { request in
            if request.name == "sessions.mine" { return .success(.object(["items": .array([])])) }
            return await VisitorAPITests.standardAnswers(request)
        }
        let admin = try await harness.login()
        let agent = try await harness.makeAgent("dora", admin: admin.access)
        let visitor = try await harness.visitor(instance: 0)
        let session = UUID().uuidString.lowercased()

        let visitorSocket = SocketProbe(url: "\(harness.wsBase(0))/api/v1/visitor/ws", bearer: visitor.token)
        let agentSocket = SocketProbe(url: "\(harness.wsBase(1))/api/v1/agent/ws", bearer: agent.access)
        #expect(await agentSocket.wait { $0.contains { $0["type"]?.stringValue == "hello" } }, "\(agentSocket.received)")
        #expect(await visitorSocket.wait { $0.contains { $0["type"]?.stringValue == "hello" } })
        try await harness.publishEvent("session.created", [
            "session_id": .string(session), "seq": 1, "channel": "web-pc", "visitor_id": .string(visitor.visitorID),
        ])
        try await harness.publishEvent("session.assigned", [
            "session_id": .string(session), "seq": 2, "channel": "web-pc", "visitor_id": .string(visitor.visitorID),
            "agent_id": .string(agent.agentID), "agent_name": "客服dora",
        ])
        #expect(await agentSocket.wait { _ in agentSocket.seqs(session) == [2] }, "\(agentSocket.received)")
        #expect(await visitorSocket.wait { _ in visitorSocket.seqs(session) == [1, 2] })

        func typing(_ probe: SocketProbe) -> [JSONValue] { probe.received.filter { $0["type"]?.stringValue == "typing" } }

        // A burst of five signals from the visitor: the agent (on the other instance) gets the first only.
        let long = String(repeating: "我", count: 150)
        for index in 0..<5 {
            visitorSocket.send(.object(["type": "typing", "session_id": .string(session), "preview": .string(index == 0 ? long : "第\(index)次")]))
        }
        #expect(await agentSocket.wait { _ in typing(agentSocket).count == 1 }, "\(agentSocket.received)")
        let seen = try #require(typing(agentSocket).first)
        #expect(seen["from"]?.stringValue == "visitor")
        #expect(seen["session_id"]?.stringValue == session)
        #expect(seen["preview"]?.stringValue == String(repeating: "我", count: 100), "the preview is cut at 100 characters")
        try await Task.sleep(for: .milliseconds(500))
        #expect(typing(agentSocket).count == 1, "throttled: \(typing(agentSocket))")
        #expect(typing(visitorSocket).isEmpty, "the sender's own side gets nothing")

        // After the interval the next signal goes through.
        try await Task.sleep(for: .milliseconds(500))
        visitorSocket.send(.object(["type": "typing", "session_id": .string(session), "preview": "我想问"]))
        #expect(await agentSocket.wait { _ in typing(agentSocket).count == 2 })

        // The agent's signal reaches the visitor, without a preview.
        agentSocket.send(.object(["type": "typing", "session_id": .string(session), "preview": "不会转发"]))
        #expect(await visitorSocket.wait { _ in typing(visitorSocket).count == 1 }, "\(visitorSocket.received)")
        let fromAgent = try #require(typing(visitorSocket).first)
        #expect(fromAgent["from"]?.stringValue == "agent")
        #expect(fromAgent["agent_id"]?.stringValue == agent.agentID)
        #expect(fromAgent["preview"] == nil)

        // Someone else's session, or none: refused, nothing sent.
        let foreign = UUID().uuidString.lowercased()
        visitorSocket.send(.object(["type": "typing", "session_id": .string(foreign), "preview": "偷看"]))
        agentSocket.send(.object(["type": "typing", "session_id": .string(foreign)]))
        visitorSocket.send(.object(["type": "typing"]))
        #expect(await visitorSocket.wait { frames in frames.contains { $0["code"]?.stringValue == "not_your_session" } }, "\(visitorSocket.received)")
        #expect(await agentSocket.wait { frames in frames.contains { $0["code"]?.stringValue == "not_your_session" } }, "\(agentSocket.received)")
        #expect(await visitorSocket.wait { frames in frames.contains { $0["code"]?.stringValue == "invalid_frame" } })
        let signals = try await harness.entries("signals")
        #expect(signals.count == 3, "only the accepted signals went on the signals stream: \(signals)")
        #expect(signals.allSatisfy { $0["session_id"]?.stringValue == session && $0["kind"]?.stringValue == "typing" })

        // Read marks: forward only, to the other side, and again to a socket that resumes the session.
        func reads(_ probe: SocketProbe) -> [JSONValue] { probe.received.filter { $0["type"]?.stringValue == "read" } }
        visitorSocket.send(.object(["type": "read", "session_id": .string(session), "seq": 2]))
        #expect(await agentSocket.wait { _ in reads(agentSocket).count == 1 }, "\(agentSocket.received)")
        #expect(reads(agentSocket).first?["from"]?.stringValue == "visitor")
        #expect(reads(agentSocket).first?["seq"]?.intValue == 2)
        visitorSocket.send(.object(["type": "read", "session_id": .string(session), "seq": 1]))
        visitorSocket.send(.object(["type": "read", "session_id": .string(session), "seq": 2]))
        agentSocket.send(.object(["type": "read", "session_id": .string(session), "seq": 2]))
        #expect(await visitorSocket.wait { _ in reads(visitorSocket).count == 1 })
        #expect(reads(visitorSocket).first?["from"]?.stringValue == "agent")
        visitorSocket.send(.object(["type": "read", "session_id": .string(session), "seq": 0]))
        #expect(await visitorSocket.wait { frames in frames.filter { $0["code"]?.stringValue == "invalid_frame" }.count == 2 })
        try await Task.sleep(for: .milliseconds(400))
        #expect(reads(agentSocket).count == 1, "a mark that does not move forward is not sent: \(reads(agentSocket))")

        let resumed = SocketProbe(url: "\(harness.wsBase(1))/api/v1/agent/ws", bearer: agent.access)
        #expect(await resumed.wait { $0.contains { $0["type"]?.stringValue == "hello" } })
        resumed.send(.object(["type": "resume", "sessions": .object([session: 2])]))
        #expect(await resumed.wait { frames in
            frames.contains { $0["type"]?.stringValue == "read" && $0["from"]?.stringValue == "visitor" && $0["seq"]?.intValue == 2 }
        }, "\(resumed.received)")
        await resumed.close()
    }
}

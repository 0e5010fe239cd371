import Foundation
import KefuModel
import Testing

/// `monitor.history`, the monitor's (监控) charts of the last hour, equals what reporting's records say about
/// each minute: who was waiting (and for how long) and which agents were serving.
@Suite struct MonitorHistoryTests {
    static func entry<P: EventPayload>(_ data: P, secondsAgo: Double) -> [UInt8] {
        try! EnvelopeCodec.encode(EventEnvelope(time: Timestamp(Date().addingTimeInterval(-secondsAgo)), source: "routing", data: data))
    }

    @Test func theLastHourPerMinuteFromTheRecords() async throws {
        let harness = try await ReportingHarness()
        let (served, waiting, gone) = (SessionID.random(), SessionID.random(), SessionID.random())
        let agent = AgentID.random()
        try await harness.publish([
            // Queued 30 min ago, assigned 10 min ago and still served.
            Self.entry(SessionCreated(sessionID: served, seq: 1, channel: "web", visitorID: "h-1"), secondsAgo: 1_860),
            Self.entry(SessionQueued(sessionID: served, seq: 2, channel: "web", visitorID: "h-1", reason: .visitorRequest, priority: 10),
                       secondsAgo: 1_800),
            Self.entry(SessionAssigned(sessionID: served, seq: 3, channel: "web", visitorID: "h-1", agentID: agent, agentName: "甲"),
                       secondsAgo: 600),
            // Queued 5 min ago, still waiting.
            Self.entry(SessionCreated(sessionID: waiting, seq: 1, channel: "web", visitorID: "h-2"), secondsAgo: 320),
            Self.entry(SessionQueued(sessionID: waiting, seq: 2, channel: "web", visitorID: "h-2", reason: .keyword, priority: 3,
                                     group: "vipcare"), secondsAgo: 300),
            // Queued and left two hours ago: outside the window.
            Self.entry(SessionCreated(sessionID: gone, seq: 1, channel: "web", visitorID: "h-3"), secondsAgo: 7_300),
            Self.entry(SessionQueued(sessionID: gone, seq: 2, channel: "web", visitorID: "h-3", reason: .keyword, priority: 10),
                       secondsAgo: 7_250),
            Self.entry(SessionEnded(sessionID: gone, seq: 3, channel: "web", visitorID: "h-3", reason: .queueExit,
                                    human: false, ratingInvited: false), secondsAgo: 7_200),
        ])
        try await harness.waitUntilEventsApplied()
        let supervisor = Actor(role: .supervisor, agentID: .random())
        let reply = try await harness.query("monitor.history", ["minutes": .integer(60)], actor: supervisor)
        let history = try #require(reply.result, "\(reply)")
        guard case .array(let points)? = history["points"] else { Issue.record("no points: \(history)"); return }
        #expect(points.count == 60 && history["minutes"] == .integer(60))
        let last = try #require(points.last)
        #expect(last["queued"] == .integer(1), "\(last)")
        #expect((295...320).contains(last["longest_wait"]?.intValue ?? 0), "\(last)")
        #expect(last["serving_agents"] == .integer(1))
        // 20 minutes ago: the first visitor had waited 10 minutes, nobody was serving.
        let earlier = points[points.count - 21]
        #expect(earlier["queued"] == .integer(1) && earlier["serving_agents"] == .integer(0), "\(earlier)")
        #expect((595...620).contains(earlier["longest_wait"]?.intValue ?? 0), "\(earlier)")
        // 40 minutes ago: nobody waited yet.
        #expect(points[points.count - 41]["queued"] == .integer(0))
        let times = points.compactMap { $0["at"]?.stringValue }
        #expect(times == times.sorted() && times.count == 60)

        #expect(try await harness.query("monitor.history", actor: Actor(role: .agent, agentID: agent)).code == "forbidden")
        #expect(try await harness.query("monitor.history", ["minutes": .integer(0)], actor: supervisor).code == "invalid_params")
        await harness.stop()
    }
}

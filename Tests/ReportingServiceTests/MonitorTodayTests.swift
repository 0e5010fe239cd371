import Foundation
import KefuModel
import Testing

/// `monitor.today`, the monitor's (监控) counters, equals counts taken from reporting's records at the same moment.
@Suite struct MonitorTodayTests {
    /// One whole-second instant for every entry, so that intervals between entries are exact to the millisecond.
    static let now = Date(timeIntervalSince1970: Date().timeIntervalSince1970.rounded(.down))

    static func entry<P: EventPayload>(_ data: P, secondsAgo: Double) -> [UInt8] {
        try! EnvelopeCodec.encode(EventEnvelope(time: Timestamp(now.addingTimeInterval(-secondsAgo)), source: "routing", data: data))
    }

    @Test func countersEqualTheRecords() async throws {
        let harness = try await ReportingHarness()
        let (bot, human, left, old) = (SessionID.random(), SessionID.random(), SessionID.random(), SessionID.random())
        let (a, b) = (AgentID.random(), AgentID.random())
        try await harness.publish([
            Self.entry(SessionCreated(sessionID: bot, seq: 1, channel: "web", visitorID: "m-1"), secondsAgo: 60),
            Self.entry(SessionEnded(sessionID: bot, seq: 2, channel: "web", visitorID: "m-1", reason: .visitorButton,
                                    human: false, ratingInvited: false), secondsAgo: 50),
            Self.entry(SessionCreated(sessionID: human, seq: 1, channel: "web", visitorID: "m-2"), secondsAgo: 60),
            Self.entry(SessionQueued(sessionID: human, seq: 2, channel: "web", visitorID: "m-2", reason: .visitorRequest, priority: 10),
                       secondsAgo: 55),
            Self.entry(SessionAssigned(sessionID: human, seq: 3, channel: "web", visitorID: "m-2", agentID: a, agentName: "甲"),
                       secondsAgo: 50),
            Self.entry(MessageAccepted(sessionID: human, seq: 4, channel: "web", visitorID: "m-2", sender: .agent, agentID: a,
                                       content: .text("您好")), secondsAgo: 40),
            Self.entry(SessionTransferred(sessionID: human, seq: 5, channel: "web", visitorID: "m-2", fromAgentID: a, toAgentID: b,
                                          toAgentName: "乙"), secondsAgo: 30),
            Self.entry(SessionEnded(sessionID: human, seq: 6, channel: "web", visitorID: "m-2", reason: .agent, agentID: b,
                                    human: true, ratingInvited: true), secondsAgo: 20),
            Self.entry(RatingRecorded(sessionID: human, seq: 7, channel: "web", visitorID: "m-2", stars: 4, agentID: b), secondsAgo: 10),
            Self.entry(SessionCreated(sessionID: left, seq: 1, channel: "wechat", visitorID: "m-3"), secondsAgo: 30),
            Self.entry(SessionQueued(sessionID: left, seq: 2, channel: "wechat", visitorID: "m-3", reason: .keyword, priority: 10),
                       secondsAgo: 25),
            Self.entry(SessionCreated(sessionID: old, seq: 1, channel: "web", visitorID: "m-4"), secondsAgo: 3 * 86_400),
            Self.entry(SessionQueued(sessionID: old, seq: 2, channel: "web", visitorID: "m-4", reason: .keyword, priority: 10),
                       secondsAgo: 3 * 86_400 - 5),
        ])
        try await harness.waitUntilEventsApplied()
        let supervisor = Actor(role: .supervisor, agentID: .random())
        let reply = try await harness.query("monitor.today", actor: supervisor)
        let today = try #require(reply.result, "\(reply)")
        let tz = try #require(today["tz"]?.stringValue)
        func count(_ condition: String) async throws -> Int64 {
            try await harness.postgres.query(
                "SELECT count(*) FROM reporting.sessions WHERE \(condition)", [tz]).first?.decode(Int64.self, at: 0) ?? -1
        }
        let isToday = "(%@ AT TIME ZONE $1)::date = (now() AT TIME ZONE $1)::date"
        let sessions = try await count(isToday.replacingOccurrences(of: "%@", with: "started_at"))
        let queued = try await count(isToday.replacingOccurrences(of: "%@", with: "queued_at"))
        let botOnly = try await count(isToday.replacingOccurrences(of: "%@", with: "started_at") + " AND NOT human")
        let transferred = try await count(isToday.replacingOccurrences(of: "%@", with: "started_at") + " AND transfers > 0")
        #expect(sessions == 3 && today["sessions"] == .integer(sessions), "\(today)")
        #expect(queued == 2 && today["queued"] == .integer(queued), "\(today)")
        #expect(botOnly == 2 && today["bot"] == .integer(botOnly), "\(today)")
        #expect(transferred == 1 && today["transferred"] == .integer(transferred), "\(today)")
        #expect(today["human"] == .integer(1) && today["ratings"] == .integer(1))
        #expect(today["avg_rating"]?.doubleValue == 4)
        #expect(today["avg_first_response"]?.doubleValue == 10)
        let agent = try await harness.query("monitor.today", actor: Actor(role: .agent, agentID: a))
        #expect(agent.code == "forbidden")
        #expect(try await harness.query("summary", ["from": "2026-11-25", "to": "2026-11-25"], actor: supervisor).code == "forbidden")
        await harness.stop()
    }
}

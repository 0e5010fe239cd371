import Foundation
import KefuModel
@testable import RoutingService
import Testing

/// Each reason a visitor cannot get a human has its own, editable prompt (never "not service hours" when the
/// hours are open); visitors may queue with nobody signed in when the admin allows it; the idle warning names
/// the time really left.
@Suite struct NoServiceAndIdleTests {
    /// The system texts a session received, in order.
    private func systemTexts(_ session: SessionID, _ h: RoutingHarness) async throws -> [String] {
        try await h.sessionEvents(session).filter { $0.type == .messageAccepted }.compactMap {
            let message = try $0.decode(MessageAccepted.self)
            return message.sender == .system ? message.content.text : nil
        }
    }

    @Test func eachNoServiceReasonHasItsOwnPrompt() async throws {
        let h = try await RoutingHarness.make()
        defer { Task { await h.close() } }
        let outOfHours = RoutingSettings.defaultOutOfServicePrompt

        let nobody = try await h.requestHuman("v-nobody")
        #expect(try await systemTexts(nobody, h).first == NoServicePrompts.defaults[.nobodyPresent])
        #expect(try await systemTexts(nobody, h).contains(outOfHours) == false, "24-hour service is not 'out of hours'")

        #expect(try await h.updateSettings { $0.noServicePrompts.set("今天没有客服值班，请留言。", for: .nobodyPresent) }.ok)
        #expect(try await systemTexts(try await h.requestHuman("v-edited"), h).first == "今天没有客服值班，请留言。")

        try await h.onlineAgent("小王", capacity: 0)
        #expect(try await h.updateSettings { $0.queue.maxLength = 1 }.ok)
        _ = try await h.requestHuman("q1")
        #expect(try await systemTexts(try await h.requestHuman("q2"), h).first == NoServicePrompts.defaults[.queueFull])

        #expect(try await h.updateSettings { $0.queue.maxLength = 100; $0.channels["web-pc"]?.humanEnabled = false }.ok)
        #expect(try await systemTexts(try await h.requestHuman("c1"), h).first == NoServicePrompts.defaults[.channelOff])

        #expect(try await h.updateSettings { $0.humanServiceEnabled = false }.ok)
        #expect(try await systemTexts(try await h.requestHuman("s1", channel: "web-h5"), h).first == NoServicePrompts.defaults[.serviceOff])

        #expect(try await h.updateSettings {
            $0.humanServiceEnabled = true
            $0.serviceHours = ServiceSchedule(timezone: "Asia/Shanghai", weekly: ServiceWeeklyHours(), overrides: [])
        }.ok)
        #expect(try await systemTexts(try await h.requestHuman("h1", channel: "web-h5"), h).first == outOfHours)
    }

    @Test func visitorsMayWaitWithNobodySignedInUntilTheQueueTimeout() async throws {
        let h = try await RoutingHarness.make()
        defer { Task { await h.close() } }
        #expect(try await h.updateSettings { $0.queue.waitWithoutAgents = true; $0.queue.timeoutSeconds = 60 }.ok)
        let early = try await h.requestHuman("early-bird")
        #expect(try await h.state(of: early) == "queued", "during service hours the visitor waits for the first agent")

        try await h.postgres.execute("UPDATE routing.sessions SET enqueued_at = now() - interval '2 minutes' WHERE id = $1", [early.uuid])
        let engine = h.engine
        let ended = try await h.postgres.transaction { connection in try engine.timeOutQueue(on: connection, limit: 10) }
        #expect(ended == 1)
        #expect(try await h.state(of: early) == "left")
        let texts = try await systemTexts(early, h)
        #expect(texts.contains(NoServicePrompts.defaults[.queueTimeout]!))
        #expect(texts.contains(ActiveSettings.leaveMessageHint), "leave-a-message is offered")
        #expect(try await h.sessionEvents(early).last?.decode(SessionEnded.self).reason == .queueTimeout)
    }

    @Test func theSettingsDocumentCarriesThePromptsAndTheSwitch() throws {
        let json = #"{"no_service_prompts":{"nobody_present":"暂无客服","queue_timeout":"久等了"},"queue":{"wait_without_agents":true}}"#
        let settings = try RoutingSettings.decode(jsonData: Data(json.utf8))
        #expect(settings.noServicePrompt(for: .nobodyPresent) == "暂无客服")
        #expect(settings.noServicePrompt(for: .queueTimeout) == "久等了")
        #expect(settings.noServicePrompt(for: .queueFull) == NoServicePrompts.defaults[.queueFull])
        #expect(settings.queue.waitWithoutAgents)
        #expect(settings.noServiceReason(channel: "web-pc", isOpen: true, anyonePresent: false, queueLength: 0) == nil)
        #expect(RoutingSettings.defaults.noServiceReason(channel: "web-pc", isOpen: true, anyonePresent: false, queueLength: 0) == .nobodyPresent)
        #expect(throws: RoutingConfigIssue.self) {
            _ = try RoutingSettings.decode(jsonData: Data(#"{"no_service_prompts":{"out_of_hours":"x"}}"#.utf8))
        }
        #expect(throws: RoutingConfigIssue.self) {
            _ = try RoutingSettings.decode(jsonData: Data(#"{"no_service_prompts":{"queue_full":"  "}}"#.utf8))
        }
        let reencoded = try RoutingSettings.decode(jsonData: try JSONEncoder().encode(settings))
        #expect(reencoded == settings)
    }

    @Test("the idle warning names the time really left", arguments: [
        (30, "30秒"), (60, "1分钟"), (90, "1分30秒"), (120, "2分钟"),
    ])
    func idleWarningWording(seconds: Int, expected: String) {
        var session = RoutingSessionSettings(idleWarningSeconds: seconds)
        #expect(session.idleWarningText().contains("如\(expected)内"), "\(session.idleWarningText())")
        session.idleWarningPrompt = "如{minutes}分钟内未回复将结束。"
        let text = session.idleWarningText()
        if seconds % 60 == 0 {
            #expect(text == "如\(seconds / 60)分钟内未回复将结束。")
        } else {
            #expect(!text.contains("分钟内未回复") && text.contains(expected), "a {minutes} prompt must not promise a wrong time: \(text)")
        }
    }

    @Test func theSentIdleWarningSaysThirtySecondsWhenThirtyRemain() async throws {
        let h = try await RoutingHarness.make()
        defer { Task { await h.close() } }
        #expect(try await h.updateSettings { $0.session.idleWarningSeconds = 30; $0.session.idleTimeoutSeconds = 600 }.ok)
        try await h.onlineAgent("小王", capacity: 2)
        let session = try await h.requestHuman("idle-visitor")
        _ = try await h.engine.drainQueue(using: h.postgres)
        #expect(try await h.state(of: session) == "assigned")
        try await h.postgres.execute(
            "UPDATE routing.sessions SET last_activity_at = now() - interval '580 seconds' WHERE id = $1", [session.uuid])
        let engine = h.engine
        _ = try await h.postgres.transaction { connection in try engine.handleIdle(on: connection, limit: 10) }
        let warning = try #require(try await systemTexts(session, h).last)
        #expect(warning.contains("30秒"), "\(warning)")
        #expect(!warning.contains("1分钟"), "\(warning)")
    }
}

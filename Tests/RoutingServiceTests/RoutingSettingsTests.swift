import Testing
@testable import RoutingService

@Suite("RoutingSettings defaults and validation")
struct RoutingSettingsTests {
    @Test func defaultsAreValid() {
        let settings = RoutingSettings.defaults
        #expect(settings.validationIssues().isEmpty)
        #expect(settings.humanServiceEnabled)
        #expect(Set(settings.channels.keys) == ["web-pc", "web-h5"])
        #expect(settings.channel("web-pc").transferKeywords == ["人工", "转人工"])
        #expect(settings.channel("web-pc").botUnansweredLimit == 2)
        #expect(settings.queue.exitKeywords == ["退出排队"])
        #expect(settings.queue.maxLength == 200)
        #expect(settings.queue.timeoutSeconds == 1_800)
        #expect(settings.session.endPhrases == ["结束会话", "再见"])
        #expect(settings.session.idleTimeoutSeconds == 600)
        #expect(settings.session.idleWarningSeconds == 60)
        #expect(settings.session.idleWarningMinutes == 1)
        #expect(settings.session.presenceGraceSeconds == 60)
        #expect(!settings.ratingEnabled)
        #expect(settings.sensitiveWords.isEmpty)
        #expect(settings.serviceHours == .alwaysOpen(timezone: "Asia/Shanghai"))
    }

    @Test func defaultPromptsParse() throws {
        let settings = RoutingSettings.defaults
        let queue = try settings.queue.promptTemplate()
        #expect(queue.renderQueue(position: 2, etaSeconds: 300).hasPrefix("您前面还有1人，当前排第2位，预计等待约5分钟"))
        #expect(try settings.session.idleWarningTemplate().variables == ["remaining"])
        #expect(settings.session.idleWarningText().contains("1分钟"))
        #expect(try settings.outOfServiceTemplate().render([:]) == RoutingSettings.defaultOutOfServicePrompt)
    }

    @Test func unknownChannelFallsBackToStandard() {
        var settings = RoutingSettings.defaults
        settings.channels["web-pc"] = RoutingChannelSettings(humanEnabled: false, transferKeywords: ["客服"])
        #expect(settings.channel("wechat") == .standard)
        #expect(settings.channel("wechat").humanEnabled)
        #expect(settings.channel("wechat").transferButton)
        #expect(!settings.channel("web-pc").humanEnabled)
    }

    @Test(arguments: ["a", "web-pc", "web_h5", "0", String(repeating: "a", count: 64)])
    func acceptsChannelNames(name: String) {
        #expect(RoutingChannelName.isValid(name))
    }

    @Test(arguments: ["", "Web", "-web", "_web", "web pc", "微信", "web.pc", String(repeating: "a", count: 65)])
    func rejectsChannelNames(name: String) {
        var settings = RoutingSettings.defaults
        settings.channels[name] = .standard
        let issue = settings.validationIssues().first
        #expect(issue?.code == .invalidChannelName)
        #expect(issue?.fieldPath == "channels.\(name)")
    }

    @Test func validatesKeywordLists() {
        var settings = RoutingSettings.defaults
        settings.channels["web-pc"]?.transferKeywords = [String(repeating: "人", count: 21), " ", "人工"]
        settings.queue.exitKeywords = Array(repeating: "退出", count: 51)
        settings.session.endPhrases = [String(repeating: "x", count: 20)]
        let issues = settings.validationIssues()
        #expect(issues.map(\.fieldPath) == [
            "channels.web-pc.transfer_keywords[0]", "channels.web-pc.transfer_keywords[1]", "queue.exit_keywords",
        ])
        #expect(issues.map(\.code) == [.tooLong, .empty, .tooMany])
    }

    @Test func validatesNumbers() {
        var settings = RoutingSettings.defaults
        settings.channels["web-h5"]?.botUnansweredLimit = 0
        settings.channels["web-pc"]?.botUnansweredLimit = nil
        settings.queue.maxLength = 0
        settings.queue.timeoutSeconds = 29
        settings.session.idleTimeoutSeconds = 30
        settings.session.presenceGraceSeconds = -1
        let issues = settings.validationIssues()
        #expect(issues.map(\.fieldPath) == [
            "channels.web-h5.bot_unanswered_limit", "queue.max_length", "queue.timeout_seconds",
            "session.idle_timeout_seconds", "session.idle_warning_seconds", "session.presence_grace_seconds",
        ])
        #expect(issues.allSatisfy { $0.code == .outOfRange })
        #expect(issues[0].message.contains("null"))
    }

    @Test func idleWarningMustPrecedeTimeout() {
        var settings = RoutingSettings.defaults
        settings.session.idleWarningSeconds = 600
        #expect(settings.validationIssues().map(\.fieldPath) == ["session.idle_warning_seconds"])
        settings.session.idleWarningSeconds = 0
        #expect(settings.validationIssues().isEmpty)
        settings.session.idleTimeoutSeconds = 0
        settings.session.idleWarningSeconds = 60
        #expect(settings.validationIssues().isEmpty)
    }

    @Test func validatesPrompts() {
        var settings = RoutingSettings.defaults
        settings.queue.prompt = "您好{name}"
        settings.outOfServicePrompt = "   "
        settings.session.idleWarningPrompt = String(repeating: "长", count: 501)
        let issues = settings.validationIssues()
        #expect(issues.map(\.fieldPath) == ["queue.prompt", "out_of_service_prompt", "session.idle_warning_prompt"])
        #expect(issues.map(\.code) == [.invalidTemplate, .empty, .tooLong])
        #expect(issues[0].message.contains("{name}"))
        #expect(throws: issues[0]) { try settings.validate() }
    }

    @Test func validatesSensitiveWords() {
        var settings = RoutingSettings.defaults
        settings.sensitiveWords = ["坏人", String(repeating: "坏", count: 51), ""]
        #expect(settings.validationIssues().map(\.fieldPath) == ["sensitive_words[1]"])
        settings.sensitiveWords = (0...20_000).map { "w\($0)" }
        #expect(settings.validationIssues().map(\.code) == [.tooMany])
        settings.sensitiveWords = ["坏人"]
        #expect(settings.makeSensitiveWordMasker().mask("坏人") == "**")
    }

    @Test func includesServiceHoursIssues() {
        var settings = RoutingSettings.defaults
        settings.serviceHours.timezone = "Nowhere/City"
        #expect(settings.validationIssues() == [RoutingConfigIssue(
            fieldPath: "service_hours.timezone", code: .invalidTimezone,
            message: "\"Nowhere/City\" is not a known IANA time zone; use e.g. \"Asia/Shanghai\""
        )])
    }
}

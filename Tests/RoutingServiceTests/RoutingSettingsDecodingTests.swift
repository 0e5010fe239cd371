import Foundation
import Testing
@testable import RoutingService

@Suite("RoutingSettings JSON")
struct RoutingSettingsDecodingTests {
    private func decode(_ json: String) throws(RoutingConfigIssue) -> RoutingSettings {
        try RoutingSettings.decode(jsonData: Data(json.utf8))
    }

    private func issue(_ json: String) -> RoutingConfigIssue? {
        do {
            _ = try decode(json)
            return nil
        } catch {
            return error
        }
    }

    @Test func decodesFullDocument() throws {
        let json = """
        {
          "human_service_enabled": false,
          "channels": {"web-pc": {"human_enabled": true, "transfer_keywords": ["客服"], "bot_unanswered_limit": null,
                                  "transfer_button": false, "end_button": true},
                       "app": {}},
          "service_hours": {"timezone": "Asia/Shanghai",
                            "weekly": {"mon": [{"start": "09:00", "end": "18:00"}]},
                            "overrides": [{"date": "2026-10-01", "closed": true}]},
          "queue": {"prompt": "第{position}位", "exit_keywords": ["取消"], "max_length": 50, "timeout_seconds": 600},
          "out_of_service_prompt": "请留言",
          "session": {"end_phrases": ["bye"], "idle_timeout_seconds": 0, "idle_warning_seconds": 0,
                      "idle_warning_prompt": "{minutes}分钟", "presence_grace_seconds": 30},
          "rating_enabled": true,
          "sensitive_words": ["坏人"]
        }
        """
        let settings = try decode(json)
        #expect(!settings.humanServiceEnabled)
        #expect(settings.channels["web-pc"] == RoutingChannelSettings(
            transferKeywords: ["客服"], botUnansweredLimit: nil, transferButton: false
        ))
        #expect(settings.channels["app"] == .standard)
        #expect(settings.channels["web-h5"] == nil)
        #expect(settings.serviceHours.overrides.count == 1)
        #expect(settings.queue == RoutingQueueSettings(prompt: "第{position}位", exitKeywords: ["取消"], maxLength: 50, timeoutSeconds: 600))
        #expect(settings.outOfServicePrompt == "请留言")
        #expect(settings.session.presenceGraceSeconds == 30)
        #expect(settings.ratingEnabled)
        #expect(settings.sensitiveWords == ["坏人"])
    }

    @Test func missingKeysTakeDefaults() throws {
        #expect(try decode("{}") == .defaults)
        let partial = try decode(#"{"queue": {"max_length": 10}, "channels": {"web-pc": {"end_button": false}}}"#)
        #expect(partial.queue.maxLength == 10)
        #expect(partial.queue.prompt == RoutingQueueSettings.defaultPrompt)
        #expect(partial.channel("web-pc").botUnansweredLimit == 2)
        #expect(!partial.channel("web-pc").endButton)
    }

    @Test func roundTripsIncludingDisabledLimit() throws {
        var settings = RoutingSettings.defaults
        settings.channels["web-pc"]?.botUnansweredLimit = nil
        settings.sensitiveWords = ["x"]
        let data = try JSONEncoder().encode(settings)
        let text = String(decoding: data, as: UTF8.self)
        #expect(text.contains("\"bot_unanswered_limit\":null"))
        #expect(text.contains("\"human_service_enabled\":true"))
        #expect(try RoutingSettings.decode(jsonData: data) == settings)
    }

    @Test func rejectsUnknownKeysAtEveryLevel() {
        #expect(issue(#"{"human_service_enable": true}"#)?.fieldPath == "human_service_enable")
        #expect(issue(#"{"human_service_enable": true}"#)?.code == .unknownKey)
        #expect(issue(#"{"channels": {"web-pc": {"transfer_keyword": []}}}"#)?.fieldPath == "channels.web-pc.transfer_keyword")
        #expect(issue(#"{"queue": {"maxLength": 3}}"#)?.fieldPath == "queue.maxLength")
        #expect(issue(#"{"session": {"idle_timeout": 3}}"#)?.fieldPath == "session.idle_timeout")
        let nested = #"{"service_hours": {"timezone": "UTC", "weekly": {"mon": [{"start": "09:00", "end": "10:00", "x": 1}]}}}"#
        #expect(issue(nested)?.fieldPath == "service_hours.weekly.mon[0].x")
        #expect(issue(#"{"queue": {"maxLength": 3}}"#)?.message.contains("exit_keywords") == true)
    }

    @Test func mapsDecodingErrorsToIssues() {
        let badType = issue(#"{"queue": {"max_length": "200"}}"#)
        #expect(badType?.fieldPath == "queue.max_length")
        #expect(badType?.code == .typeMismatch)
        let badTime = issue(#"{"service_hours": {"timezone": "UTC", "weekly": {"mon": [{"start": "25:00", "end": "26:00"}]}}}"#)
        #expect(badTime?.fieldPath == "service_hours.weekly.mon[0].start")
        #expect(badTime?.code == .invalidFormat)
        let badDate = issue(#"{"service_hours": {"timezone": "UTC", "overrides": [{"closed": true}]}}"#)
        #expect(badDate?.fieldPath == "service_hours.overrides[0].date")
        #expect(badDate?.code == .missingValue)
        #expect(issue(#"{"service_hours": {}}"#)?.fieldPath == "service_hours.timezone")
        let null = issue(#"{"rating_enabled": null}"#)
        #expect(null?.fieldPath == "rating_enabled")
        #expect(null?.code == .typeMismatch || null?.code == .missingValue)
        #expect(null?.message.contains("null") == true)
        #expect(issue("{not json")?.code == .invalidJSON)
        #expect(issue("[]")?.code == .typeMismatch)
    }

    @Test func validatesAfterDecoding() {
        let result = issue(#"{"queue": {"max_length": 0}}"#)
        #expect(result?.fieldPath == "queue.max_length")
        #expect(result?.code == .outOfRange)
        #expect(issue(#"{"channels": {"Web": {}}}"#)?.code == .invalidChannelName)
    }
}

import Foundation
import Testing
@testable import RoutingService

@Suite("Keyword matching")
struct RoutingKeywordMatcherTests {
    private let transfer = ["人工", "转人工"]

    @Test(arguments: ["人工", "转人工", "转人工 ", "  转人工\n", "　人工　", "转 人工", "人工!", "转人工！", "“人工”", "人工。。。", "人工😊"])
    func matchesTheWholeMessage(text: String) {
        #expect(RoutingKeywordMatcher.matches(text, keywords: transfer))
    }

    @Test(arguments: ["", "   ", "你好", "人", "我不需要人工", "人工智能是什么", "我要转人工", "人工客服在吗", "请问你们的人工智能产品怎么收费呢"])
    func wholeMessageModeIgnoresSentencesThatMentionAKeyword(text: String) {
        #expect(!RoutingKeywordMatcher.matches(text, keywords: transfer))
    }

    @Test func containsModeMatchesAnywhere() {
        #expect(RoutingKeywordMatcher.matches("我要转人工", keywords: transfer, mode: .contains))
        #expect(RoutingKeywordMatcher.matches("请问你们的人工智能产品怎么收费呢", keywords: transfer, mode: .contains))
        #expect(!RoutingKeywordMatcher.matches("你好", keywords: transfer, mode: .contains))
        let long = "请帮我转接到人工客服专员"
        #expect(RoutingKeywordMatcher.matches(" \(long) ", keywords: [long]))
    }

    @Test func theModeIsASettingPerList() throws {
        let json = #"{"channels":{"web-pc":{"transfer_keywords":["人工"],"transfer_keywords_match":"contains"}},"queue":{"exit_keywords_match":"whole_message"},"session":{"end_phrases_match":"contains"}}"#
        let settings = try RoutingSettings.decode(jsonData: Data(json.utf8))
        #expect(settings.matchesTransferKeyword("我要人工", channel: "web-pc"))
        #expect(!settings.matchesTransferKeyword("我要人工", channel: "web-h5"), "other channels keep the default, whole message")
        #expect(settings.matchesEndPhrase("好的，再见啦"))
        #expect(throws: RoutingConfigIssue.self) {
            _ = try RoutingSettings.decode(jsonData: Data(#"{"queue":{"exit_keywords_match":"fuzzy"}}"#.utf8))
        }
    }

    @Test func foldsWidthAndCase() {
        #expect(RoutingKeywordMatcher.matches("ＡＧＥＮＴ", keywords: ["agent"]))
        #expect(RoutingKeywordMatcher.matches("Agent ", keywords: ["AGENT"]))
        #expect(RoutingKeywordMatcher.matches("talk to agent", keywords: ["Talk to Agent"]))
        #expect(!RoutingKeywordMatcher.matches("agent", keywords: []))
        #expect(!RoutingKeywordMatcher.matches("agent", keywords: ["", "  "]))
    }

    @Test func settingsHelpersUseConfiguredLists() {
        var settings = RoutingSettings.defaults
        settings.channels["web-pc"] = RoutingChannelSettings(transferKeywords: ["客服"])
        #expect(settings.matchesTransferKeyword("客服", channel: "web-pc"))
        #expect(!settings.matchesTransferKeyword("人工", channel: "web-pc"))
        #expect(settings.matchesTransferKeyword("转人工 ", channel: "web-h5"))
        #expect(settings.matchesTransferKeyword("人工", channel: "new-connector"))
        #expect(settings.matchesExitKeyword("退出排队"))
        #expect(!settings.matchesExitKeyword("排队"))
        #expect(settings.matchesEndPhrase("结束会话"))
        #expect(!settings.matchesEndPhrase("好的，再见"))
        #expect(settings.matchesEndPhrase("再见！"))
        #expect(!settings.matchesEndPhrase("你好"))
    }
}

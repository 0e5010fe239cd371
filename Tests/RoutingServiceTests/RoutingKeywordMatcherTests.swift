import Testing
@testable import RoutingService

@Suite("Keyword matching")
struct RoutingKeywordMatcherTests {
    private let transfer = ["人工", "转人工"]

    @Test(arguments: ["人工", "转人工", "转人工 ", "  转人工\n", "　人工　", "转 人工", "人工!", "转人工！", "我要转人工", "人工客服在吗"])
    func matchesShortMessages(text: String) {
        #expect(RoutingKeywordMatcher.matches(text, keywords: transfer))
    }

    @Test(arguments: ["", "   ", "你好", "人", "请问你们的人工智能产品怎么收费呢", "我想了解一下人工服务时间"])
    func ignoresOtherMessages(text: String) {
        #expect(!RoutingKeywordMatcher.matches(text, keywords: transfer))
    }

    @Test func shortMessageLimitBoundary() {
        #expect(RoutingKeywordMatcher.matches("一二三四五六七八人工", keywords: transfer))
        #expect(!RoutingKeywordMatcher.matches("一二三四五六七八九人工", keywords: transfer))
        let long = "请帮我转接到人工客服专员"
        #expect(RoutingKeywordMatcher.matches(" \(long) ", keywords: [long]))
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
        #expect(settings.matchesEndPhrase("好的，再见"))
        #expect(!settings.matchesEndPhrase("你好"))
    }
}

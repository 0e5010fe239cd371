import Testing
@testable import KnowledgeService

@Suite("KnowledgeTextNormalizer")
struct KnowledgeTextNormalizerTests {
    let normalizer = KnowledgeTextNormalizer()

    @Test("full-width letters and digits become half-width and lower-case")
    func fullWidthToHalfWidth() {
        #expect(normalizer.normalize("ＡＢＣ１２３") == "abc123")
        #expect(normalizer.normalize("ｉＰｈｏｎｅ保修") == "iphone保修")
    }

    @Test("Latin letters are lower-cased, CJK untouched")
    func lowerCasing() {
        #expect(normalizer.normalize("iPhone 订单 VIP") == "iphone 订单 vip")
        #expect(normalizer.normalize("ÉCOLE") == "école")
    }

    @Test(
        "Chinese and ASCII punctuation, emoji and symbols become single spaces",
        arguments: [
            ("退款！！！！怎么还没到？？？😡", "退款 怎么还没到"),
            ("【急】订单能取消吗？？", "急 订单能取消吗"),
            ("《隐私政策》在哪里看", "隐私政策 在哪里看"),
            ("发票～～开一下💰", "发票 开一下"),
            ("order-cancel, please!", "order cancel please"),
            ("“七天无理由”退货", "七天无理由 退货"),
            ("换货👉怎么操作", "换货 怎么操作"),
            ("👍🏻👨‍👩‍👧好的", "好的"),
        ]
    )
    func punctuationCollapses(input: String, expected: String) {
        #expect(normalizer.normalize(input) == expected)
    }

    @Test("ideographic space, tabs and newlines collapse and trim")
    func whitespaceCollapses() {
        #expect(normalizer.normalize("　发票抬头写错了　 能改吗？\n\t") == "发票抬头写错了 能改吗")
        #expect(normalizer.normalize("   ") == "")
        #expect(normalizer.normalize("") == "")
    }

    @Test("full-width punctuation maps to ASCII before removal")
    func fullWidthPunctuation() {
        #expect(KnowledgeTextNormalizer.halfWidth("！") == "!")
        #expect(KnowledgeTextNormalizer.halfWidth("　") == " ")
        #expect(normalizer.normalize("满９９包邮（偏远除外）") == "满99包邮 偏远除外")
    }

    @Test("traditional characters are kept as they are")
    func traditionalKept() {
        #expect(normalizer.normalize("訂單怎麼取消") == "訂單怎麼取消")
    }
}

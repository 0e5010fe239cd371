import Testing
@testable import KnowledgeService

@Suite("KnowledgeTokenizer")
struct KnowledgeTokenizerTests {
    let plain = Self.plain(.empty)

    /// A tokenizer without language features, so these tests see characters and pairs only.
    static func plain(_ lexicon: KnowledgeLexicon) -> KnowledgeTokenizer {
        KnowledgeTokenizer(normalizer: KnowledgeTextNormalizer(), lexicon: lexicon, language: KnowledgeLanguage(), features: [])
    }

    private func texts(_ tokens: [KnowledgeToken], _ kind: KnowledgeTokenKind) -> [String] {
        tokens.filter { $0.kind == kind }.map(\.text)
    }

    @Test("CJK runs give unigrams and bigrams")
    func cjkUnigramsAndBigrams() {
        let tokens = plain.tokenize("退款流程")
        #expect(texts(tokens, .cjkUnigram) == ["退", "款", "流", "程"])
        #expect(texts(tokens, .cjkBigram) == ["退款", "款流", "流程"])
    }

    @Test("mixed text yields CJK tokens and whole lower-cased words")
    func mixedText() {
        let tokens = plain.tokenize("我的iPhone订单怎么退款")
        #expect(texts(tokens, .word) == ["iphone"])
        #expect(texts(tokens, .cjkBigram) == ["我的", "订单", "单怎", "怎么", "么退", "退款"])
        #expect(!texts(tokens, .cjkBigram).contains("的订"), "a Latin word ends the CJK run")
    }

    @Test("letters and digits are split, numbers get their own kind")
    func lettersAndDigits() {
        let tokens = plain.tokenize("iPhone15 保修多久")
        #expect(texts(tokens, .word) == ["iphone"])
        #expect(texts(tokens, .number) == ["15"])
        #expect(plain.tokenize("ＩＰＨＯＮＥ１５").map(\.text) == ["iphone", "15"])
    }

    @Test("punctuation and spaces end a run, so no bigram spans them")
    func boundaries() {
        let tokens = plain.tokenize("发票，退款")
        #expect(texts(tokens, .cjkBigram) == ["发票", "退款"])
        #expect(plain.tokenize("？！…😀").isEmpty)
    }

    @Test("single character query gives one unigram")
    func singleCharacter() {
        #expect(plain.tokenize("票") == [KnowledgeToken("票", kind: .cjkUnigram)])
    }

    @Test("spelling variants are rewritten before tokenizing")
    func spellingVariants() {
        let tokenizer = Self.plain(KnowledgeLexicon(spellingVariants: [.init("登陆", "登录"), .init("帐号", "账号")]))
        #expect(texts(tokenizer.tokenize("帐号登陆不了"), .cjkBigram) == ["账号", "号登", "登录", "录不", "不了"])
    }

    @Test("glossary words keep the word and add their Chinese expansion")
    func glossary() {
        let tokenizer = Self.plain(KnowledgeLexicon(glossary: ["refund": "退款"]))
        let tokens = tokenizer.tokenize("怎么申请Refund")
        #expect(texts(tokens, .word) == ["refund"])
        #expect(texts(tokens, .cjkBigram).contains("退款"))
        #expect(!texts(tokens, .cjkBigram).contains("请退"))
    }

    @Test("stop tokens are dropped but still delimit bigrams")
    func stopTokens() {
        let tokenizer = Self.plain(KnowledgeLexicon(stopTokens: ["的", "吗"]))
        let tokens = tokenizer.tokenize("我的订单吗")
        #expect(texts(tokens, .cjkUnigram) == ["我", "订", "单"])
        #expect(texts(tokens, .cjkBigram) == ["我的", "的订", "订单", "单吗"])
    }

    @Test("the default e-commerce lexicon maps common variants and English words")
    func ecommerceLexicon() {
        let tokenizer = Self.plain(.ecommerce)
        #expect(tokenizer.tokenize("优惠卷").contains(KnowledgeToken("优惠", kind: .cjkBigram)))
        #expect(tokenizer.tokenize("优惠卷").contains(KnowledgeToken("惠券", kind: .cjkBigram)))
        #expect(tokenizer.tokenize("invoice").contains(KnowledgeToken("发票", kind: .cjkBigram)))
        #expect(!tokenizer.tokenize("怎么的").contains { $0.text == "怎么" || $0.text == "的" })
    }
}

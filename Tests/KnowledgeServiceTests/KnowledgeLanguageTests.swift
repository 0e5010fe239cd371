import Foundation
import Testing
@testable import KnowledgeService

@Suite("Knowledge language features")
struct KnowledgeLanguageTests {
    private func texts(_ tokens: [KnowledgeToken], _ kind: KnowledgeTokenKind) -> [String] {
        tokens.filter { $0.kind == kind }.map(\.text)
    }

    @Test("the bundled tables load: jieba words, OpenCC folding, pinyin readings")
    func bundledTables() {
        let language = KnowledgeLanguage.bundled
        #expect(language.wordCount > 100_000)
        #expect(language.contains(word: "银行卡"))
        #expect(language.simplified["號"] == "号")
        #expect(language.reading(of: "址") == "zhi")
    }

    @Test("segmentation picks the most probable words; pairs inside a word are words, others bigrams")
    func segmentation() {
        let tokens = KnowledgeTokenizer(features: .segmentation).tokenize("银行卡地址写错了")
        #expect(texts(tokens, .cjkWord).contains("银行卡"))
        #expect(texts(tokens, .cjkWord).contains("地址"))
        #expect(texts(tokens, .cjkBigram).contains("址写"))
        #expect(!texts(tokens, .cjkWord).contains("址写"))
    }

    @Test("traditional characters fold to simplified in questions and queries alike")
    func traditionalFolding() {
        let tokenizer = KnowledgeTokenizer()
        #expect(tokenizer.tokenize("訂單號碼") == tokenizer.tokenize("订单号码"))
    }

    @Test("homophone typos share a pinyin token with the right word")
    func pinyinTokens() {
        let tokenizer = KnowledgeTokenizer()
        #expect(texts(tokenizer.tokenize("地止"), .pinyin) == ["di_zhi"])
        #expect(texts(tokenizer.tokenize("收货地址"), .pinyin).contains("di_zhi"))
        #expect(texts(tokenizer.tokenize("快第"), .pinyin) == texts(tokenizer.tokenize("快递"), .pinyin))
    }

    @Test("a homophone typo still finds its entry")
    func homophoneMatches() throws {
        let index = try KnowledgeBM25Index(entries: [
            KnowledgeIndexEntry(id: "address", question: "怎么修改收货地址"),
            KnowledgeIndexEntry(id: "invoice", question: "怎么开发票"),
        ])
        #expect(index.search("收货地止怎么改").first?.entryID == "address")
    }

    @Test("synonyms rewrite variants to the canonical word; bad lines are reported by number, the rest applied")
    func synonyms() {
        var lexicon = KnowledgeLexicon.empty
        let errors = lexicon.addSynonyms("# comment\n退款 退钱 返钱\n孤单\n\n物流 快递信息\n退款 款\n", normalizer: KnowledgeTextNormalizer())
        #expect(errors.map(\.line) == [3, 6])
        let tokenizer = KnowledgeTokenizer(normalizer: KnowledgeTextNormalizer(), lexicon: lexicon, language: KnowledgeLanguage(), features: [])
        #expect(tokenizer.tokenize("我要退钱") == tokenizer.tokenize("我要退款"))
        #expect(tokenizer.tokenize("快递信息不动") == tokenizer.tokenize("物流不动"))
        #expect(KnowledgeTokenizer().tokenize("怎么退钱") == KnowledgeTokenizer().tokenize("怎么退款"))
    }

    @Test("admin words are segmented; bad lines are reported by number, the rest applied")
    func adminWords() {
        var language = KnowledgeLanguage()
        let errors = language.addWords("运费险\n超级会员日 5\nabc\n七天无理由退货\n运费 x\n尊享卡 20\n")
        #expect(errors.map(\.line) == [2, 3, 4, 5], "five or more characters, Latin letters, a bad frequency")
        #expect(language.contains(word: "运费险") && language.contains(word: "尊享卡"))
        let tokens = KnowledgeTokenizer(normalizer: KnowledgeTextNormalizer(), lexicon: .empty, language: language, features: .segmentation)
            .tokenize("运费险怎么买")
        #expect(tokens.contains(KnowledgeToken("运费险", kind: .cjkWord)))
    }

    @Test("a long message weighs the asking clause over the story and drops greetings")
    func questionFocus() {
        let clauses = KnowledgeQuestionFocus.clauses(
            of: "你好，在吗？我上周买了一件外套，收到以后发现尺码有点大，想换小一号的怎么操作", minimumLength: 20, storyWeight: 0.5)
        #expect(!clauses.contains { $0.0.contains("你好") || $0.0.contains("在吗") })
        #expect(clauses.contains { $0.0 == "想换小一号的怎么操作" && $0.1 == 1 })
        #expect(clauses.contains { $0.0 == "我上周买了一件外套" && $0.1 == 0.5 })
        #expect(KnowledgeQuestionFocus.clauses(of: "运费多少", minimumLength: 20, storyWeight: 0.5).map(\.1) == [1])
    }

    @Test("an evaluation set loads from a folder; a phrasing naming an unknown entry is refused")
    func evaluationSetFromFolder() throws {
        let set = try KnowledgeEvaluationSet(directory: KnowledgeEvaluationFixtures.directory)
        #expect(set.entries.count >= 130 && set.cases.count >= 420)
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("kefu-eval-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        try Data(#"[{"id":"a","question":"运费多少","similarQuestions":[]}]"#.utf8).write(to: folder.appendingPathComponent("knowledge-entries.json"))
        try Data(#"[{"id":"v1","text":"邮费","expectedEntryID":"b","style":"short"}]"#.utf8).write(to: folder.appendingPathComponent("visitor-phrasings.json"))
        #expect(throws: KnowledgeEvaluationSetError.unknownEntry(caseID: "v1", entryID: "b")) {
            try KnowledgeEvaluationSet(directory: folder)
        }
    }
}

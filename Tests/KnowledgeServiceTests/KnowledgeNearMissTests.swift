import Testing
@testable import KnowledgeService

@Suite("Bilingual lexicon and near-miss guard")
struct KnowledgeNearMissTests {
    static let entries = [
        KnowledgeIndexEntry(id: "apply", question: "怎么申请信用卡", similarQuestions: ["信用卡在哪里申请"]),
        KnowledgeIndexEntry(id: "activate", question: "新卡怎么激活", similarQuestions: ["收到信用卡后如何激活"]),
        KnowledgeIndexEntry(id: "repay", question: "信用卡怎么还款", similarQuestions: ["还款方式有哪些"]),
        KnowledgeIndexEntry(id: "points", question: "积分怎么查", similarQuestions: ["积分可以兑换什么"]),
    ]

    @Test("a glossary file's bad lines are reported with their numbers and the others applied")
    func glossaryLines() {
        var lexicon = KnowledgeLexicon.empty
        let errors = lexicon.addGlossary("apply 申请\nBad 词\nsolo\n# comment\nrefund 退款 退钱")
        #expect(errors.map(\.line) == [2, 3])
        #expect(lexicon.glossary == ["apply": "申请", "refund": "退款 退钱"])
    }

    @Test("the standard lexicon adds the bundled bilingual words and keeps the e-commerce ones")
    func standardLexicon() {
        #expect(KnowledgeLexicon.standard.glossary["apply"] == "申请 办理")
        #expect(KnowledgeLexicon.standard.glossary["refund"] == "退款")
        #expect(KnowledgeLexicon.standardWithoutBilingual.glossary["apply"] == nil)
    }

    @Test("an English word matches through its translation, and neither it nor an unused sense counts against the confidence")
    func englishWord() throws {
        let index = try KnowledgeBM25Index(entries: Self.entries)
        var plain = KnowledgeBM25Configuration()
        plain.englishCoverage = false
        let counted = try KnowledgeBM25Index(entries: Self.entries, configuration: plain)
        let match = try #require(index.search("怎么apply信用卡").first)
        #expect(match.entryID == "apply")
        let before = try #require(counted.search("怎么apply信用卡").first)
        #expect(before.entryID == "apply")
        #expect(match.queryCoverage > before.queryCoverage)
        #expect(match.confidence > before.confidence)
    }

    @Test("a short question naming a subject the entry lacks is less confident than the entry's own question")
    func nearMiss() throws {
        let index = try KnowledgeBM25Index(entries: Self.entries)
        let asked = try #require(index.search("新卡怎么激活呀").first)
        let nearMiss = try #require(index.search("新卡激活送什么礼品").first)
        #expect(asked.entryID == "activate" && nearMiss.entryID == "activate")
        #expect(asked.unmatchedAnyWordShare == 0)
        #expect(nearMiss.unmatchedAnyWordShare > 0)
        #expect(nearMiss.confidence < asked.confidence)
    }

    @Test("in a long message an unmatched word is no near-miss sign")
    func longMessage() throws {
        let index = try KnowledgeBM25Index(entries: Self.entries)
        let long = try #require(index.search("你好，我昨天收到了快递寄来的新卡，但是不知道要怎么激活才能用").first)
        #expect(long.entryID == "activate")
        #expect(long.unmatchedAnyWordShare == 0)
    }
}

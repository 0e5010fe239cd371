import Testing
@testable import KnowledgeService

@Suite("KnowledgeBM25Index")
struct KnowledgeBM25IndexTests {
    static let entries = [
        KnowledgeIndexEntry(id: "refund", question: "怎么申请退款", similarQuestions: ["退款流程是什么", "在哪里申请退钱"]),
        KnowledgeIndexEntry(id: "refund-time", question: "退款多久能到账", similarQuestions: ["退款几天到账"]),
        KnowledgeIndexEntry(id: "invoice", question: "怎么开发票", similarQuestions: ["如何申请发票"]),
        KnowledgeIndexEntry(id: "cancel", question: "订单怎么取消", similarQuestions: ["下单后不想要了能取消吗"]),
        KnowledgeIndexEntry(id: "track", question: "怎么查询物流信息", similarQuestions: ["快递到哪了怎么看"]),
        KnowledgeIndexEntry(id: "password", question: "忘记密码怎么办", similarQuestions: ["密码忘了怎么找回"]),
    ]

    func makeIndex(_ entries: [KnowledgeIndexEntry] = Self.entries) throws -> KnowledgeBM25Index {
        try KnowledgeBM25Index(entries: entries)
    }

    @Test("ranks the entry sharing the most specific vocabulary first")
    func rankingSanity() throws {
        let index = try makeIndex()
        #expect(index.search("退款几天能到")[0].entryID == "refund-time")
        #expect(index.search("怎么开票")[0].entryID == "invoice")
        #expect(index.search("我的快递到哪了")[0].entryID == "track")
        #expect(index.search("怎么申请refund")[0].entryID == "refund")
        let results = index.search("退款")
        #expect(Set(results.prefix(2).map(\.entryID)) == ["refund", "refund-time"])
        #expect(zip(results, results.dropFirst()).allSatisfy { $0.score >= $1.score })
    }

    @Test("a match reports its best question, a 0…1 confidence and one result per entry")
    func matchFields() throws {
        let index = try makeIndex()
        let match = try #require(index.search("密码忘了怎么找回").first)
        #expect(match.entryID == "password")
        #expect(match.matchedQuestion == "密码忘了怎么找回")
        #expect(match.confidence > 0.7 && match.confidence <= 1)
        #expect(match.queryCoverage == 1)
        let ids = index.search("退款发票密码订单快递申请", limit: 10).map(\.entryID)
        #expect(ids.count >= 5)
        #expect(Set(ids).count == ids.count)
    }

    @Test("exact question scores higher confidence than a loose paraphrase")
    func confidenceOrdering() throws {
        let index = try makeIndex()
        let exact = try #require(index.search("怎么开发票").first)
        let loose = try #require(index.search("我想问一下那个报销用的票据").first)
        #expect(exact.confidence > loose.confidence)
    }

    @Test("answer returns nil below the threshold and for unrelated text")
    func answerThreshold() throws {
        let index = try makeIndex()
        #expect(index.answer("怎么开发票")?.entryID == "invoice")
        #expect(index.answer("今天天气怎么样") == nil)
        #expect(index.answer("股票") == nil)
        #expect(index.answer("") == nil)
        #expect(index.answer("😀？") == nil)
        #expect(index.answer("怎么开发票", threshold: 1.01) == nil)
    }

    @Test("limit bounds the results; zero or negative limit returns nothing")
    func limits() throws {
        let index = try makeIndex()
        #expect(index.search("退款发票密码订单", limit: 2).count == 2)
        #expect(index.search("怎么申请退款", limit: 0).isEmpty)
        #expect(index.search("怎么申请退款", limit: -3).isEmpty)
        #expect(try KnowledgeBM25Index().search("退款").isEmpty)
    }

    @Test("upsert of an edited entry finds its new question and forgets the old one")
    func upsertReplaces() throws {
        var index = try makeIndex()
        #expect(index.answer("怎么开发票")?.entryID == "invoice")
        try index.upsert(KnowledgeIndexEntry(id: "invoice", question: "电子发票在哪里下载", similarQuestions: ["发票发到邮箱"]))
        #expect(index.count == Self.entries.count)
        #expect(index.answer("电子发票怎么下载")?.entryID == "invoice")
        #expect(index.search("开发票").first?.matchedQuestion != "怎么开发票")
        #expect(!index.search("如何申请发票", limit: 10).contains { $0.matchedQuestion == "如何申请发票" })
    }

    @Test("removed entries are never returned and remove is idempotent")
    func removeEntry() throws {
        var index = try makeIndex()
        let removed = index.remove(entryID: "cancel")
        let removedAgain = index.remove(entryID: "cancel")
        #expect(removed)
        #expect(!removedAgain)
        #expect(!index.contains(entryID: "cancel"))
        #expect(index.count == Self.entries.count - 1)
        for query in ["订单怎么取消", "下单后不想要了能取消吗", "取消"] {
            #expect(!index.search(query, limit: 10).contains { $0.entryID == "cancel" })
        }
    }

    @Test("disabled entries are never returned; re-enabling brings them back")
    func disabledEntries() throws {
        var entries = Self.entries
        entries[0].enabled = false
        var index = try makeIndex(entries)
        #expect(!index.contains(entryID: "refund"))
        #expect(!index.search("怎么申请退款", limit: 10).contains { $0.entryID == "refund" })
        entries[0].enabled = true
        try index.upsert(entries[0])
        #expect(index.answer("怎么申请退款")?.entryID == "refund")
        entries[0].enabled = false
        try index.upsert(entries[0])
        #expect(!index.search("怎么申请退款", limit: 10).contains { $0.entryID == "refund" })
    }

    @Test("incremental updates leave exactly the statistics of a fresh build")
    func incrementalMatchesRebuild() throws {
        var incremental = try makeIndex()
        let edited = KnowledgeIndexEntry(id: "track", question: "物流信息一直不更新", similarQuestions: ["快递好几天没动静"])
        let added = KnowledgeIndexEntry(id: "coupon", question: "优惠券怎么使用", similarQuestions: ["退款后优惠券会退回吗"])
        try incremental.upsert(edited)
        try incremental.upsert(added)
        incremental.remove(entryID: "password")
        try incremental.upsert(KnowledgeIndexEntry(id: "refund", question: "怎么申请退款", enabled: false))

        var finalEntries = Self.entries.filter { !["track", "password", "refund"].contains($0.id) }
        finalEntries += [edited, added]
        let rebuilt = try makeIndex(finalEntries)

        #expect(incremental.count == rebuilt.count)
        #expect(incremental.questionCount == rebuilt.questionCount)
        for query in ["退款", "优惠券退款", "快递没动静", "怎么开发票", "订单取消", "密码"] {
            let lhs = Dictionary(uniqueKeysWithValues: incremental.search(query, limit: 10).map { ($0.entryID, $0) })
            let rhs = Dictionary(uniqueKeysWithValues: rebuilt.search(query, limit: 10).map { ($0.entryID, $0) })
            #expect(Set(lhs.keys) == Set(rhs.keys), "\(query)")
            for (id, match) in lhs {
                let other = try #require(rhs[id])
                #expect(abs(match.score - other.score) < 1e-4, "\(query) \(id)")
                #expect(abs(match.confidence - other.confidence) < 1e-4, "\(query) \(id)")
            }
        }
    }

    @Test("many updates of one entry keep posting lists and counts bounded")
    func repeatedUpserts() throws {
        var index = try makeIndex()
        for round in 0..<200 {
            try index.upsert(KnowledgeIndexEntry(id: "invoice", question: "怎么开发票\(round % 3)", similarQuestions: ["如何申请发票"]))
        }
        #expect(index.count == Self.entries.count)
        #expect(index.questionCount == Self.entries.reduce(0) { $0 + $1.allQuestions.count })
        #expect(index.store.documentCapacity == index.questionCount)
        #expect(index.answer("怎么开发票")?.entryID == "invoice")
    }

    @Test("invalid input throws typed errors and leaves the index unchanged")
    func typedErrors() throws {
        var index = try makeIndex()
        #expect(throws: KnowledgeMatchingError.emptyEntryID) {
            try index.upsert(KnowledgeIndexEntry(id: "", question: "问题"))
        }
        #expect(throws: KnowledgeMatchingError.entryHasNoQuestion(entryID: "invoice")) {
            try index.upsert(KnowledgeIndexEntry(id: "invoice", question: "  ", similarQuestions: [""]))
        }
        #expect(index.answer("怎么开发票")?.entryID == "invoice")

        var configuration = KnowledgeBM25Configuration()
        configuration.b = 1.5
        #expect(throws: KnowledgeMatchingError.invalidParameter(name: "b", value: 1.5)) {
            try KnowledgeBM25Index(configuration: configuration)
        }
        configuration = KnowledgeBM25Configuration()
        configuration.k1 = -1
        #expect(throws: KnowledgeMatchingError.self) { try KnowledgeBM25Index(configuration: configuration) }
        configuration = KnowledgeBM25Configuration()
        configuration.confidenceModel = .coverage(beta: 0)
        #expect(throws: KnowledgeMatchingError.self) { try KnowledgeBM25Index(configuration: configuration) }
    }

    @Test("an entry whose questions have no tokens is indexed but never matches")
    func tokenlessEntry() throws {
        var index = try makeIndex()
        try index.upsert(KnowledgeIndexEntry(id: "emoji", question: "😀😀"))
        #expect(index.contains(entryID: "emoji"))
        #expect(index.search("😀").isEmpty)
        let removed = index.remove(entryID: "emoji")
        #expect(removed)
    }
}

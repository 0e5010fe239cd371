import Foundation
@testable import KnowledgeService
import KefuModel
import Testing

/// 未知问题 through a real knowledge process: bot misses and 没用 answers grouped by normalized text, and
/// handled groups leaving the list.
@Suite(.serialized) struct UnknownQuestionsTests {
    static let admin = KnowledgeCluster.admin

    static func groups(_ cluster: KnowledgeCluster) async throws -> [JSONValue] {
        try await cluster.ok("unknown_questions.list", admin)["groups"]?.items ?? []
    }

    static func group(_ key: String, in groups: [JSONValue]) -> JSONValue? {
        groups.first { $0.string("key") == key }
    }

    /// Polls the list until `predicate` holds (the events consumer applies feedback asynchronously).
    static func waitForGroups(_ cluster: KnowledgeCluster, _ predicate: ([JSONValue]) -> Bool) async throws -> [JSONValue] {
        for _ in 0..<100 {
            let groups = try await groups(cluster)
            if predicate(groups) { return groups }
            try await Task.sleep(for: .milliseconds(100))
        }
        return try await groups(cluster)
    }

    @Test func groupKeysFoldWidthCasePunctuationGreetingsParticlesAndTraditionalCharacters() {
        #expect(UnknownQuestions.groupKey("你们周末上班吗？") == "你们周末上班")
        #expect(UnknownQuestions.groupKey("你们 周末上班吗!") == "你们周末上班")
        #expect(UnknownQuestions.groupKey("你好，你们周末上班吗") == "你们周末上班", "a greeting clause is not part of the question")
        #expect(UnknownQuestions.groupKey("ＡＢＣ 退貨呢") == UnknownQuestions.groupKey("abc退货"))
        #expect(UnknownQuestions.groupKey("怎么退货") != UnknownQuestions.groupKey("怎么换货"))
        #expect(UnknownQuestions.groupKey("你好") == "你好", "a greeting alone keeps its text")
        #expect(UnknownQuestions.groupKey("吗") == "吗")
        #expect(UnknownQuestions.groupKey("？？？") == "？？？", "a question of punctuation only keeps its own text")
    }

    @Test func missesAreGroupedCountedAndLeaveTheListWhenHandled() async throws {
        let cluster = try await KnowledgeCluster.start()
        defer { cluster.stop() }
        let ids = try await MatchingFlowTests.seed(cluster)
        let shipping = try #require(ids["订单什么时候发货"])

        // Three wordings of one unanswered question, another one once, an answer marked 没用, one marked 有用.
        for text in ["你们周末上班吗？", "你好，你们 周末上班吗", "你们周末上班吗!!"] {
            #expect(!(try await cluster.ask(text)).answered)
        }
        #expect(!(try await cluster.ask("能开增值税专用发票给公司吗")).answered)
        let notUseful = SessionID.random()
        let answered = try await cluster.ask("订单什么时候发货？", session: notUseful, seq: 4)
        #expect(answered.answered)
        let useful = SessionID.random()
        #expect(try await cluster.ask("怎么申请退款", session: useful, seq: 2).answered)
        for (session, seq, isUseful) in [(notUseful, 4, false), (useful, 2, true)] {
            try await cluster.publish(FeedbackRecorded(
                sessionID: session, seq: seq + 2, channel: "web", visitorID: "v-1", answerSeq: seq + 1, questionSeq: seq,
                entryID: try #require(answered.entryID), useful: isUseful))
        }

        let groups = try await Self.waitForGroups(cluster) { Self.group("订单什么时候发货", in: $0) != nil }
        #expect(groups.count == 3, "\(groups)")
        let weekend = try #require(Self.group("你们周末上班", in: groups))
        #expect(weekend["count"] == 3)
        #expect((weekend["unanswered"]?.intValue ?? 0) + (weekend["suggested"]?.intValue ?? 0) == 3)
        #expect(weekend.string("question") == "你们周末上班吗!!", "the latest wording")
        #expect(groups.first?.string("key") == "你们周末上班", "most asked first")
        let shipped = try #require(Self.group("订单什么时候发货", in: groups))
        #expect(shipped["not_useful"] == 1 && shipped["count"] == 1)
        #expect(shipped["entry"]?.string("entry_id") == shipping)
        #expect(shipped["first_seen"]?.stringValue != nil && shipped["last_seen"]?.stringValue != nil)
        #expect(Self.group("怎么申请退款", in: groups) == nil, "有用 is not a miss")

        // Add the weekend question to the shipping entry as a similar question: the group leaves the list
        // and the matcher answers it at once.
        let added = try await cluster.ok(
            "unknown_questions.add_similar", Self.admin, ["key": "你们周末上班", "entry_id": .string(shipping)])
        #expect(added["handled"] == 3)
        #expect(added["entry"]?["similar"]?.items.contains(.string("你们周末上班吗!!")) == true)
        #expect(try await cluster.ask("你们周末上班吗!!").entryID?.description == shipping)

        // Ignore the invoice question; it leaves the list, and handling it again is refused.
        let ignored = try await cluster.ok("unknown_questions.handle", Self.admin, ["key": "能开增值税专用发票给公司", "action": "ignored"])
        #expect(ignored["handled"] == 1)
        let again = try await cluster.query("unknown_questions.handle", Self.admin, ["key": "能开增值税专用发票给公司", "action": "ignored"])
        #expect(again.code == "unknown_question")
        let left = try await Self.groups(cluster)
        #expect(left.compactMap { $0.string("key") } == ["订单什么时候发货"])

        // A new entry made from the 没用 question closes that group too.
        let created = try await cluster.ok("kb.create", Self.admin, ["question": "订单发货后几天到", "answer": "一般 3 天内送达。"])
        let closed = try await cluster.ok(
            "unknown_questions.handle", Self.admin,
            ["key": "订单什么时候发货", "action": "created", "entry_id": .string(created.string("entry_id") ?? "")])
        #expect(closed["handled"] == 1)
        #expect(try await Self.groups(cluster).isEmpty)

        // A later miss of an ignored question opens its group again.
        #expect(!(try await cluster.ask("能开增值税专用发票给公司吗？")).answered)
        #expect(try await Self.groups(cluster).compactMap { $0.string("key") } == ["能开增值税专用发票给公司"])
    }

    @Test func aPageOfLongQuestionsStaysUnderTheEntryLimitAndContinuesAtNextOffset() async throws {
        let cluster = try await KnowledgeCluster.start()
        defer { cluster.stop() }
        let filler = String(repeating: "我想问一下这个奇怪的事情", count: 100)
        for index in 0..<45 {
            _ = try await cluster.ask("第\(index)号问题：" + filler)
        }
        let first = try await cluster.ok("unknown_questions.list", Self.admin, ["limit": 200])
        let page = first["groups"]?.items ?? []
        #expect(first["total"] == 45)
        #expect(page.count < 45 && page.count > 10, "\(page.count) groups in one reply")
        #expect(page.allSatisfy { ($0.string("question")?.unicodeScalars.count ?? 0) == TextRules.maxQuestion })
        #expect(first["next_offset"] == .integer(Int64(page.count)))
        let second = try await cluster.ok("unknown_questions.list", Self.admin, ["limit": 200, "offset": .integer(Int64(page.count))])
        let rest = second["groups"]?.items ?? []
        #expect(page.count + rest.count == 45)
        #expect(second["next_offset"] == nil)
        #expect(Set((page + rest).compactMap { $0.string("key") }).count == 45)
    }

    @Test func onlyAdminsSeeOrHandleUnknownQuestionsAndBadInputIsRefused() async throws {
        let cluster = try await KnowledgeCluster.start()
        defer { cluster.stop() }
        #expect(try await cluster.query("unknown_questions.list", KnowledgeCluster.agentA).code == "forbidden")
        #expect(try await cluster.query("unknown_questions.handle", KnowledgeCluster.agentA, ["key": "x", "action": "ignored"]).code == "forbidden")
        let cases: [(String, [String: JSONValue], String)] = [
            ("unknown_questions.handle", ["key": "x", "action": "deleted"], "invalid_params"),
            ("unknown_questions.handle", ["key": "x", "action": "created"], "invalid_params"),
            ("unknown_questions.handle", ["key": "never-asked", "action": "ignored"], "unknown_question"),
            ("unknown_questions.add_similar", ["key": "never-asked", "entry_id": .string(UUID().uuidString)], "unknown_question"),
            ("unknown_questions.list", ["limit": 500], "invalid_params"),
        ]
        for (name, params, code) in cases {
            #expect(try await cluster.query(name, Self.admin, params).code == code, "\(name) \(params)")
        }
    }
}

import Foundation
@testable import KnowledgeService
import KefuModel
import Logging
import Postgres
import Testing

/// Bot answers, smart assist, question capture and the matcher of every instance, through the streams.
@Suite(.serialized) struct MatchingFlowTests {
    static let agentA = KnowledgeCluster.agentA.agentID!
    static let agentB = KnowledgeCluster.agentB.agentID!

    static func seed(_ cluster: KnowledgeCluster) async throws -> [String: String] {
        var ids: [String: String] = [:]
        for (question, similar, answer) in [
            ("订单什么时候发货", ["多久发货", "几天能发货"], "订单一般在付款后 48 小时内发货。"),
            ("怎么申请退款", ["我要退款", "退款流程"], "在“我的订单”里点击“申请退款”。"),
            ("发票怎么开", ["开发票", "电子发票"], "在订单详情页申请电子发票。"),
        ] {
            let entry = try await cluster.ok("kb.create", KnowledgeCluster.admin, [
                "question": .string(question), "similar": .array(similar.map(JSONValue.string)), "answer": .string(answer),
            ])
            ids[question] = entry.string("entry_id")
        }
        return ids
    }

    @Test func botAnswersAboveTheThresholdOrSaysUnanswered() async throws {
        let cluster = try await KnowledgeCluster.start()
        defer { cluster.stop() }
        let ids = try await Self.seed(cluster)
        let session = SessionID.random()
        let answer = try await cluster.ask("订单什么时候发货？", session: session, seq: 4)
        #expect(answer.answered)
        #expect(answer.entryID?.description == ids["订单什么时候发货"])
        #expect(answer.text == "订单一般在付款后 48 小时内发货。")
        #expect(answer.sessionID == session && answer.questionSeq == 4)
        #expect((answer.score ?? 0) >= KnowledgeSettings.defaultThreshold)

        let unanswered = try await cluster.ask("你们的客服几点下班，周末上班吗")
        #expect(!unanswered.answered)
        #expect(unanswered.text == nil && unanswered.entryID == nil)

        // A disabled entry no longer answers.
        _ = try await cluster.ok("kb.update", KnowledgeCluster.admin, ["entry_id": .string(ids["发票怎么开"] ?? ""), "enabled": false])
        let disabled = try await cluster.ask("发票怎么开")
        #expect(!disabled.answered)

        let test = try await cluster.ok("kb.test", KnowledgeCluster.agentA, ["question": "怎么申请退款"])
        #expect(test["answered"] == true)
        #expect(test["matches"]?.items.first?.string("entry_id") == ids["怎么申请退款"])
    }

    @Test("between the suggestion and the answer threshold bot.answer offers 猜你想问 choices; kb.test is sorted by confidence")
    func botOffersChoicesWhenUnsure() async throws {
        let cluster = try await KnowledgeCluster.start()
        defer { cluster.stop() }
        let ids = try await Self.seed(cluster)
        let local = try KnowledgeBM25Index(entries: [
            KnowledgeIndexEntry(id: "ship", question: "订单什么时候发货", similarQuestions: ["多久发货", "几天能发货"]),
            KnowledgeIndexEntry(id: "refund", question: "怎么申请退款", similarQuestions: ["我要退款", "退款流程"]),
            KnowledgeIndexEntry(id: "invoice", question: "发票怎么开", similarQuestions: ["开发票", "电子发票"]),
        ])
        let candidates = ["退款的钱多久到账", "发货后能退款吗", "订单能开发票吗", "退款", "发货慢", "快递几天到", "钱退到哪里了"]
        let unsure = try #require(candidates.first { text in
            if case .suggest = local.decide(text) { return true } else { return false }
        }, "no candidate text falls in the 猜你想问 band")
        guard case .suggest(let expected) = local.decide(unsure) else { return }
        let questions = ["ship": "订单什么时候发货", "refund": "怎么申请退款", "invoice": "发票怎么开"]
        let answer = try await cluster.ask(unsure)
        #expect(!answer.answered && answer.text == nil)
        #expect(answer.suggestions?.map(\.question) == expected.map { questions[$0.entryID] })
        #expect(answer.suggestions?.map(\.entryID.description) == expected.map { ids[questions[$0.entryID] ?? ""] })

        let test = try await cluster.ok("kb.test", KnowledgeCluster.agentA, ["question": .string(unsure), "limit": 3])
        let scores = test["matches"]?.items.compactMap { match -> Double? in
            switch match["score"] {
            case .number(let value): value
            case .integer(let value): Double(value)
            default: nil
            }
        } ?? []
        #expect(!scores.isEmpty && scores == scores.sorted(by: >))
    }

    @Test func expiredBotQuestionsAreNotAnswered() async throws {
        let cluster = try await KnowledgeCluster.start()
        defer { cluster.stop() }
        let expired = EventEnvelope(
            source: "routing", replyTo: cluster.replies, expiresAt: Timestamp(Date().addingTimeInterval(-1)),
            data: BotQuestion(sessionID: .random(), questionSeq: 2, channel: "web", text: "发货"))
        try await cluster.add(expired, to: cluster.streams.requests(service: .knowledge))
        let fresh = try await cluster.ask("发货")
        #expect(!fresh.answered)
        let late = try? await cluster.reply(to: expired.id, as: BotAnswer.self, timeout: .milliseconds(300))
        #expect(late == nil)
    }

    @Test func malformedRequestsAreDeadLetteredOrRefused() async throws {
        let cluster = try await KnowledgeCluster.start()
        defer { cluster.stop() }
        let id = UUID().uuidString.lowercased()
        let bad = #"{"id":"\#(id)","type":"bot.question","version":1,"time":"2026-11-25T08:00:00.123Z","source":"routing","reply_to":"\#(cluster.replies)","data":{"session_id":"3f2c8a4e-6b1d-4c8e-9a7f-2d5e8b1c4a90","question_seq":2,"channel":"web","text":""}}"#
        let stream = cluster.streams.partition(of: cluster.streams.requests(service: .knowledge), envelope: Array(bad.utf8))
        _ = try await cluster.redis.send(["XADD", stream, "*", "event", bad])
        var dead: [RedisReplyEntry] = []
        for _ in 0..<200 where dead.isEmpty {
            dead = try await cluster.entries(of: stream + ":dead")
            if dead.isEmpty { try await Task.sleep(for: .milliseconds(25)) }
        }
        #expect(dead.count == 1)
        #expect(dead.first?.fields["dead.reason"]?.contains("text") == true, "\(dead)")

        // A query with malformed data is answered instead: its asker is waiting.
        let query = EventEnvelope(
            source: "test", replyTo: cluster.replies,
            data: QueryRequest(name: "kb.get", actor: KnowledgeCluster.agentA, params: ["entry_id": "not-a-uuid"]))
        try await cluster.add(query, to: stream)
        let refused = try await cluster.reply(to: query.id, as: ReplyResult.self, timeout: .seconds(10)).data
        #expect(refused.code == "invalid_params")
        #expect(try await cluster.ask("发货").answered == false)
    }

    @Test func captureCreatesAnEntryAnswerableRightAway() async throws {
        let cluster = try await KnowledgeCluster.start()
        defer { cluster.stop() }
        let ids = try await Self.seed(cluster)
        let session = SessionID.random()
        try await cluster.publish(SessionAssigned(
            sessionID: session, seq: 3, channel: "web", visitorID: "v-1", agentID: Self.agentA, agentName: "小王"))

        let params: [String: JSONValue] = [
            "session_id": .string(session.description), "question": "你们支持货到付款吗", "answer": "支持，下单时选择“货到付款”即可。",
        ]
        var reply = try await cluster.query("kb.capture", KnowledgeCluster.agentA, params)
        for _ in 0..<100 where reply.code == "unknown_session" {
            try await Task.sleep(for: .milliseconds(50))
            reply = try await cluster.query("kb.capture", KnowledgeCluster.agentA, params)
        }
        #expect(reply.ok, "\(reply)")
        #expect(reply.result?.string("source_session_id") == session.description)
        let newID = try #require(reply.result?.string("entry_id"))

        let answer = try await cluster.ask("你们支持货到付款吗")
        #expect(answer.answered)
        #expect(answer.entryID?.description == newID)

        #expect(try await cluster.query("kb.capture", KnowledgeCluster.agentB, params).code == "not_your_session")
        let nobody = ["session_id": JSONValue.string(SessionID.random().description), "question": "x", "answer": "y"]
        #expect(try await cluster.query("kb.capture", KnowledgeCluster.agentA, nobody).code == "unknown_session")
        var two = params
        two["question"] = ["问题一", "问题二"]
        #expect(try await cluster.query("kb.capture", KnowledgeCluster.agentA, two).code == "invalid_params")

        // Close to an existing entry: added as its similar question instead, when the agent names it.
        let shipping = try #require(ids["订单什么时候发货"])
        let similar = try await cluster.ok("kb.capture", KnowledgeCluster.agentA, [
            "session_id": .string(session.description), "question": "订单什么时候能发货", "entry_id": .string(shipping),
        ])
        #expect(similar.string("entry_id") == shipping)
        #expect(similar["similar"]?.items.contains("订单什么时候能发货") == true)
        let far = try await cluster.query("kb.capture", KnowledgeCluster.agentA, [
            "session_id": .string(session.description), "question": "会员积分能换什么礼品", "entry_id": .string(shipping),
        ])
        #expect(far.code == "invalid_params")
        #expect(far.message?.contains("not close enough") == true)
    }

    @Test func assistSuggestsForVisitorMessagesInHumanSessions() async throws {
        let cluster = try await KnowledgeCluster.start()
        defer { cluster.stop() }
        let ids = try await Self.seed(cluster)
        let human = SessionID.random()
        let bot = SessionID.random()
        try await cluster.publish(MessageAccepted(
            sessionID: bot, seq: 2, channel: "web", visitorID: "v-2", sender: .visitor, content: .text("怎么申请退款")))
        try await cluster.publish(SessionAssigned(
            sessionID: human, seq: 3, channel: "web", visitorID: "v-1", agentID: Self.agentA, agentName: "小王"))
        try await cluster.publish(MessageAccepted(
            sessionID: human, seq: 4, channel: "web", visitorID: "v-1", sender: .agent, agentID: Self.agentA,
            content: .text("您好，请问有什么可以帮您")))
        let question = try await cluster.publish(MessageAccepted(
            sessionID: human, seq: 5, channel: "web", visitorID: "v-1", sender: .visitor, content: .text("我想申请退款，怎么弄")))

        let suggested = try #require(try await cluster.event(AssistSuggested.self) { $0.causationID == question })
        #expect(suggested.data.sessionID == human)
        #expect(suggested.data.questionSeq == 5)
        #expect(suggested.data.agentID == Self.agentA)
        #expect((1...3).contains(suggested.data.suggestions.count))
        #expect(suggested.data.suggestions.first?.entryID.description == ids["怎么申请退款"])
        #expect(suggested.data.suggestions.first?.text == "在“我的订单”里点击“申请退款”。")

        // After a transfer the new agent gets them; nothing matched still publishes an empty list.
        try await cluster.publish(SessionTransferred(
            sessionID: human, seq: 6, channel: "web", visitorID: "v-1", fromAgentID: Self.agentA, toAgentID: Self.agentB,
            toAgentName: "小李"))
        let unrelated = try await cluster.publish(MessageAccepted(
            sessionID: human, seq: 7, channel: "web", visitorID: "v-1", sender: .visitor, content: .text("嗯嗯好的")))
        let empty = try #require(try await cluster.event(AssistSuggested.self) { $0.causationID == unrelated })
        #expect(empty.data.agentID == Self.agentB)
        #expect(empty.data.suggestions.isEmpty)

        // Neither the bot session's message nor the agent's own message got suggestions.
        let all = try await cluster.events(AssistSuggested.self)
        #expect(all.count == 2)

        let direct = try await cluster.ok("assist.suggest", KnowledgeCluster.agentB, ["text": "发票怎么开"])
        #expect(direct["suggestions"]?.items.first?.string("entry_id") == ids["发票怎么开"])
    }

    @Test func anEditReachesTheMatcherOfEveryInstanceWithinOneSecond() async throws {
        let cluster = try await KnowledgeCluster.start(instances: 2)
        defer { cluster.stop() }
        let ids = try await Self.seed(cluster)
        let id = try #require(ids["发票怎么开"])
        let instances = cluster.instances
        for instance in instances {
            try await Self.waitUntil(.seconds(5)) { try await cluster.matcher(instance, "发票怎么开").top == id }
        }

        // Rewrite the entry's question: each instance's own matcher must find it by the new wording within
        // a second of the request being sent (the reply, the outbox relay and the follower all included).
        let start = ContinuousClock.now
        _ = try await cluster.ok("kb.update", KnowledgeCluster.admin, [
            "entry_id": .string(id), "question": "增值税专用发票如何申请", "similar": ["专票怎么开"],
        ])
        var latencies: [Duration] = []
        for instance in instances {
            try await Self.waitUntil(.seconds(1)) { try await cluster.matcher(instance, "增值税专用发票如何申请").top == id }
            latencies.append(ContinuousClock.now - start)
        }
        print("knowledge: edit visible on both instances after \(latencies.map { "\($0)" }.joined(separator: ", "))")
        #expect(latencies.allSatisfy { $0 < .seconds(1) })

        // A deletion too; and an instance started later loads everything at start.
        _ = try await cluster.ok("kb.delete", KnowledgeCluster.admin, ["entry_id": .string(id)])
        for instance in instances {
            try await Self.waitUntil(.seconds(1)) { try await cluster.matcher(instance, "增值税专用发票如何申请").top != id }
        }
        let late = try await cluster.launch(name: "test-late")
        try await Self.waitUntil(.seconds(5)) { try await cluster.matcher(late, "怎么申请退款").entries == 2 }
    }

    @Test func changesWithoutAnEventAreCaughtUpAndReconciled() async throws {
        let cluster = try await KnowledgeCluster.start(instances: 2, environment: ["KEFU_KNOWLEDGE_RECONCILE_SECONDS": "10"])
        defer { cluster.stop() }
        _ = try await Self.seed(cluster)
        // A row written behind knowledge's back: no knowledge.changed is ever published for it.
        let postgres = PostgresClient(configuration: try PostgresConfiguration(url: cluster.databaseURL), logger: Logger(label: "test"))
        let id = UUID()
        try await postgres.execute(
            "INSERT INTO knowledge.entries (id, question, answer) VALUES ($1, '积分可以兑换什么礼品', '积分可在会员中心兑换优惠券和礼品。')", [id])
        try await postgres.shutdown()

        // The instance answering catches up by revision before matching.
        let answer = try await cluster.ask("积分可以兑换什么礼品")
        #expect(answer.entryID?.uuid == id)
        // Every instance's matcher gets it at the latest with the next reconciliation.
        for instance in cluster.instances {
            try await Self.waitUntil(.seconds(15)) {
                try await cluster.matcher(instance, "积分可以兑换什么礼品").top == id.uuidString.lowercased()
            }
        }
    }

    /// Polls `condition` every 10 ms until it holds; fails the test when `timeout` passes first.
    static func waitUntil(_ timeout: Duration, _ condition: () async throws -> Bool) async throws {
        let deadline = ContinuousClock.now + timeout
        while ContinuousClock.now < deadline {
            if try await condition() { return }
            try await Task.sleep(for: .milliseconds(10))
        }
        Issue.record("condition still false after \(timeout)")
    }
}

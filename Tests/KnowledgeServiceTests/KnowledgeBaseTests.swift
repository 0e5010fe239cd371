import Foundation
import KefuModel
import Testing

/// Knowledge-base CRUD and its rules, through `requests:knowledge` against a running `kefu-knowledge`.
@Suite(.serialized) struct KnowledgeBaseTests {
    @Test func crudWithLimitsCategoriesAndRevisions() async throws {
        let cluster = try await KnowledgeCluster.start()
        defer { cluster.stop() }
        let admin = KnowledgeCluster.admin

        let unknown = try await cluster.query("kb.create", admin, ["question": "发票怎么开？", "answer": "在订单页申请。", "category": "发票"])
        #expect(unknown.code == "unknown_category")
        _ = try await cluster.ok("kb_categories.create", admin, ["name": "发票"])
        let created = try await cluster.ok("kb.create", admin, [
            "question": " 发票怎么开？ ", "similar": ["怎么开发票", "怎么开发票", "发票怎么开？"], "answer": "在“我的订单”里申请电子发票。",
            "category": "发票",
        ])
        let id = try #require(created.string("entry_id"))
        #expect(created.string("question") == "发票怎么开？")
        #expect(created["similar"]?.items == [.string("怎么开发票")])
        #expect(created.string("category") == "发票")
        #expect(created["enabled"] == .bool(true))
        #expect(created.string("created_by") == KnowledgeCluster.admin.agentID?.description)

        let fetched = try await cluster.ok("kb.get", KnowledgeCluster.agentA, ["entry_id": .string(id)])
        #expect(fetched == created)
        let duplicate = try await cluster.query("kb.create", admin, ["question": "发票怎么开？", "answer": "另一个"])
        #expect(duplicate.code == "duplicate_question")

        let revision = try #require(created["revision"]?.intValue)
        let updated = try await cluster.ok("kb.update", admin, [
            "entry_id": .string(id), "answer": "请在订单详情页点击“申请发票”。", "enabled": false,
            "expected_revision": .integer(Int64(revision)),
        ])
        #expect(updated.string("answer") == "请在订单详情页点击“申请发票”。")
        #expect(updated["enabled"] == .bool(false))
        #expect(updated.string("question") == "发票怎么开？")
        let stale = try await cluster.query("kb.update", admin, [
            "entry_id": .string(id), "answer": "x", "expected_revision": .integer(Int64(revision)),
        ])
        #expect(stale.code == "version_conflict")

        let list = try await cluster.ok("kb.list", KnowledgeCluster.agentB, ["q": "订单详情", "enabled": false])
        #expect(list["items"]?.items.map { $0.string("entry_id") } == [id])
        #expect(try await cluster.ok("kb.list", admin, ["enabled": true])["items"]?.items.isEmpty == true)

        #expect(try await cluster.ok("kb.delete", admin, ["entry_id": .string(id)]) == .object([:]))
        #expect(try await cluster.query("kb.get", admin, ["entry_id": .string(id)]).code == "unknown_entry")
        #expect(try await cluster.query("kb.delete", admin, ["entry_id": .string(id)]).code == "unknown_entry")
    }

    @Test func agentsReadButCannotChangeTheKnowledgeBase() async throws {
        let cluster = try await KnowledgeCluster.start()
        defer { cluster.stop() }
        let entry = try await cluster.ok("kb.create", KnowledgeCluster.admin, ["question": "退款多久到账", "answer": "1-3 个工作日。"])
        let id = try #require(entry.string("entry_id"))
        let agent = KnowledgeCluster.agentA
        for (name, params) in [
            ("kb.create", ["question": JSONValue.string("新问题"), "answer": "答案"]),
            ("kb.update", ["entry_id": .string(id), "answer": "改掉"]),
            ("kb.delete", ["entry_id": .string(id)]),
            ("kb.export", ["format": "csv"]),
            ("kb_categories.create", ["name": "退款"]),
        ] {
            #expect(try await cluster.query(name, agent, params).code == "forbidden", "\(name)")
        }
        let visitor = Actor(role: .visitor, channel: "web", visitorID: "v1")
        #expect(try await cluster.query("kb.get", visitor, ["entry_id": .string(id)]).code == "forbidden")
        #expect(try await cluster.ok("kb.get", agent, ["entry_id": .string(id)]).string("answer") == "1-3 个工作日。")
        #expect(try await cluster.query("kb.nope", agent).code == "unknown_query")
    }

    @Test func badInputIsRefusedWithTheField() async throws {
        let cluster = try await KnowledgeCluster.start()
        defer { cluster.stop() }
        let admin = KnowledgeCluster.admin
        let long = String(repeating: "问", count: 201)
        let cases: [([String: JSONValue], String)] = [
            (["question": "  ", "answer": "a"], "`question` must not be empty"),
            (["question": .string(long), "answer": "a"], "at most 200"),
            (["question": "q", "answer": .string(String(repeating: "答", count: 5_001))], "`answer` must be at most 5000"),
            (["question": "q", "answer": "a", "similar": .array((0...50).map { .string("相似\($0)") })], "at most 50 similar"),
            (["question": "q", "answer": "a", "similar": ["a|b"]], "must not contain '|'"),
            (["question": "q\u{7}", "answer": "a"], "control character"),
            (["question": "q", "answer": "a", "image": ["url": "http://x"]], "image_id"),
            (["answer": "a"], "`question` is required"),
        ]
        for (params, message) in cases {
            let reply = try await cluster.query("kb.create", admin, params)
            #expect(reply.code == "invalid_params", "\(params)")
            #expect(reply.message?.contains(message) == true, "\(reply.message ?? "")")
        }
        #expect(try await cluster.ok("kb.list", admin)["items"]?.items.isEmpty == true)
    }

    @Test func listsArePagedWithinAStreamEntry() async throws {
        let cluster = try await KnowledgeCluster.start()
        defer { cluster.stop() }
        let answer = String(repeating: "很长的答案", count: 1_000)
        for number in 0..<12 {
            _ = try await cluster.ok("kb.create", KnowledgeCluster.admin, ["question": .string("问题 \(number)"), "answer": .string(answer)])
        }
        var seen: [String] = []
        var cursor: JSONValue?
        var pages = 0
        repeat {
            var params: [String: JSONValue] = ["limit": 200]
            if let cursor { params["cursor"] = cursor }
            let page = try await cluster.ok("kb.list", KnowledgeCluster.admin, params)
            seen += page["items"]?.items.compactMap { $0.string("question") } ?? []
            cursor = page["next_cursor"]
            pages += 1
        } while cursor != nil && pages < 20
        #expect(pages > 1)
        #expect(Set(seen).count == 12 && seen.count == 12)
    }
}

import Foundation
import KefuModel
import Testing

/// Quick-reply libraries: the public one (admins write, agents read) and personal ones (owner only).
@Suite(.serialized) struct QuickReplyTests {
    @Test func publicLibraryIsReadOnlyForAgents() async throws {
        let cluster = try await KnowledgeCluster.start()
        defer { cluster.stop() }
        let admin = KnowledgeCluster.admin
        let agent = KnowledgeCluster.agentA
        let category = try await cluster.ok("quick_reply_categories.create", admin, ["library": "public", "name": "问候"])
        let categoryID = try #require(category.string("category_id"))
        let hello = try await cluster.ok("quick_replies.create", admin, [
            "library": "public", "category_id": .string(categoryID), "keyword": "/hi", "content": "您好，很高兴为您服务！",
        ])
        let helloID = try #require(hello.string("id"))

        let listed = try await cluster.ok("quick_replies.list", agent, ["library": "public"])
        #expect(listed["items"]?.items.compactMap { $0.string("content") } == ["您好，很高兴为您服务！"])
        #expect(listed["categories"]?.items.compactMap { $0.string("name") } == ["问候"])

        let attempts: [(String, [String: JSONValue])] = [
            ("quick_replies.create", ["library": "public", "keyword": "/x", "content": "x"]),
            ("quick_replies.update", ["library": "public", "id": .string(helloID), "content": "改"]),
            ("quick_replies.delete", ["library": "public", "id": .string(helloID)]),
            ("quick_replies.reorder", ["library": "public", "category_id": .string(categoryID), "ids": [.string(helloID)]]),
            ("quick_reply_categories.create", ["library": "public", "name": "x"]),
            ("quick_reply_categories.update", ["library": "public", "category_id": .string(categoryID), "name": "x"]),
            ("quick_reply_categories.delete", ["library": "public", "category_id": .string(categoryID)]),
            ("quick_reply_categories.reorder", ["library": "public", "ids": [.string(categoryID)]]),
        ]
        for (name, params) in attempts {
            #expect(try await cluster.query(name, agent, params).code == "forbidden", "\(name)")
        }
        let after = try await cluster.ok("quick_replies.list", admin, ["library": "public"])
        #expect(after["items"]?.items.compactMap { $0.string("content") } == ["您好，很高兴为您服务！"])
    }

    @Test func personalLibrariesAreInvisibleToOthers() async throws {
        let cluster = try await KnowledgeCluster.start()
        defer { cluster.stop() }
        let a = KnowledgeCluster.agentA
        let b = KnowledgeCluster.agentB
        let mine = try await cluster.ok("quick_replies.create", a, ["library": "personal", "keyword": "/bye", "content": "再见，祝您生活愉快"])
        let id = try #require(mine.string("id"))
        let category = try await cluster.ok("quick_reply_categories.create", a, ["library": "personal", "name": "结束语"])
        let categoryID = try #require(category.string("category_id"))

        #expect(try await cluster.ok("quick_replies.list", a, ["library": "personal"])["items"]?.items.count == 1)
        let theirs = try await cluster.ok("quick_replies.list", b, ["library": "personal"])
        #expect(theirs["items"]?.items.isEmpty == true)
        #expect(theirs["categories"]?.items.isEmpty == true)
        let adminView = try await cluster.ok("quick_replies.list", KnowledgeCluster.admin, ["library": "personal"])
        #expect(adminView["items"]?.items.isEmpty == true)

        #expect(try await cluster.query("quick_replies.update", b, ["id": .string(id), "content": "偷改"]).code == "unknown_quick_reply")
        #expect(try await cluster.query("quick_replies.delete", b, ["id": .string(id)]).code == "unknown_quick_reply")
        #expect(try await cluster.query("quick_replies.delete", KnowledgeCluster.admin, ["id": .string(id)]).code == "unknown_quick_reply")
        #expect(try await cluster.query(
            "quick_replies.create", b, ["library": "personal", "keyword": "/x", "content": "x", "category_id": .string(categoryID)]
        ).code == "unknown_category")
        #expect(try await cluster.query("quick_reply_categories.delete", b, ["category_id": .string(categoryID)]).code == "unknown_category")

        // B may use the same keyword in B's own library; A may not twice in A's.
        _ = try await cluster.ok("quick_replies.create", b, ["library": "personal", "keyword": "/bye", "content": "拜拜"])
        #expect(try await cluster.query(
            "quick_replies.create", a, ["library": "personal", "keyword": "/BYE", "content": "重复"]
        ).code == "duplicate_keyword")
        let updated = try await cluster.ok("quick_replies.update", a, [
            "id": .string(id), "content": "再见！", "category_id": .string(categoryID),
        ])
        #expect(updated.string("category_id") == categoryID)
    }

    @Test func searchReorderAndCategoryDeletion() async throws {
        let cluster = try await KnowledgeCluster.start()
        defer { cluster.stop() }
        let admin = KnowledgeCluster.admin
        var ids: [String] = []
        for (keyword, content) in [("退款", "退款将在 1-3 个工作日内原路返回"), ("发货", "订单 48 小时内发货"), ("物流", "退货请使用顺丰")] {
            let created = try await cluster.ok("quick_replies.create", admin, [
                "library": "public", "keyword": .string(keyword), "content": .string(content),
            ])
            ids.append(try #require(created.string("id")))
        }
        let found = try await cluster.ok("quick_replies.list", KnowledgeCluster.agentA, ["library": "public", "q": "退"])
        #expect(Set(found["items"]?.items.compactMap { $0.string("keyword") } ?? []) == ["退款", "物流"])

        #expect(try await cluster.query("quick_replies.reorder", admin, ["library": "public", "ids": .array([.string(ids[0])])]).code
            == "invalid_params")
        _ = try await cluster.ok("quick_replies.reorder", admin, ["library": "public", "ids": .array(ids.reversed().map(JSONValue.string))])
        let ordered = try await cluster.ok("quick_replies.list", admin, ["library": "public"])
        #expect(ordered["items"]?.items.compactMap { $0.string("id") } == ids.reversed())

        let category = try await cluster.ok("quick_reply_categories.create", admin, ["library": "public", "name": "售后"])
        let categoryID = try #require(category.string("category_id"))
        _ = try await cluster.ok("quick_replies.update", admin, ["id": .string(ids[0]), "category_id": .string(categoryID)])
        let inCategory = try await cluster.ok("quick_replies.list", admin, ["library": "public", "category_id": .string(categoryID)])
        #expect(inCategory["items"]?.items.compactMap { $0.string("id") } == [ids[0]])
        _ = try await cluster.ok("quick_reply_categories.delete", admin, ["category_id": .string(categoryID)])
        let all = try await cluster.ok("quick_replies.list", admin, ["library": "public"])
        #expect(all["items"]?.items.count == 3)
        #expect(all["items"]?.items.allSatisfy { $0["category_id"] == nil } == true)

        let tooLong = try await cluster.query("quick_replies.create", admin, [
            "library": "public", "keyword": .string(String(repeating: "k", count: 21)), "content": "x",
        ])
        #expect(tooLong.code == "invalid_params")
        let tooMuch = try await cluster.query("quick_replies.create", admin, [
            "library": "public", "keyword": "k", "content": .string(String(repeating: "长", count: 2_001)),
        ])
        #expect(tooMuch.code == "invalid_params")
        #expect(try await cluster.query("quick_replies.list", admin, ["library": "shared"]).code == "invalid_params")
    }
}

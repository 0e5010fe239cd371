import Foundation
import KefuModel
import Testing

/// `kb.import` and `kb.export` through blob keys, against a running `kefu-knowledge`.
@Suite(.serialized) struct TransferTests {
    static func upload(_ cluster: KnowledgeCluster, _ bytes: [UInt8]) async throws -> String {
        let key = "\(cluster.streams.prefix):blob:\(UUID().uuidString.lowercased())"
        _ = try await cluster.redis.send([Array("SET".utf8), Array(key.utf8), bytes, Array("EX".utf8), Array("300".utf8)])
        return key
    }

    static func download(_ cluster: KnowledgeCluster, _ result: JSONValue) async throws -> [UInt8] {
        let key = try #require(result.string("blob_key"))
        #expect(key.hasPrefix("\(cluster.streams.prefix):blob:"))
        let ttl = try await cluster.redis.send(["TTL", key]).int ?? -1
        #expect((1...60).contains(ttl))
        return try #require(try await cluster.redis.send(["GET", key]).bytes)
    }

    @Test func malformedCSVRowsAreReportedByLineAndNothingIsImported() async throws {
        let cluster = try await KnowledgeCluster.start()
        defer { cluster.stop() }
        let admin = KnowledgeCluster.admin
        _ = try await cluster.ok("kb_categories.create", admin, ["name": "物流"])
        let csv = """
            \u{FEFF}question,similar_questions,answer,category,enabled\r
            订单多久发货,什么时候发货|几天发货,"付款后 48 小时内发货，节假日顺延",物流,true\r
            退款多久到账,,,物流,true\r
            带引号的问题,,"答案里有 ""引号"" 和逗号,
            还有第二行",物流,是\r
            发票抬头写错了,,可以重开,财务,true\r
            怎么改地址,,在订单页修改,物流,maybe\r
            订单多久发货,,重复的问题,物流,true\r
            只有两列,x\r
            
            """
        let key = try await Self.upload(cluster, Array(csv.utf8))
        let result = try await cluster.ok("kb.import", admin, ["blob_key": .string(key), "format": "csv"])
        let errors = result["errors"]?.items.map { ($0["line"]?.intValue ?? 0, $0.string("message") ?? "") } ?? []
        #expect(errors.map(\.0) == [3, 6, 7, 8, 9], "\(errors)")
        #expect(errors.first { $0.0 == 3 }?.1.contains("`answer` must not be empty") == true)
        #expect(errors.first { $0.0 == 6 }?.1.contains("unknown category \"财务\"") == true)
        #expect(errors.first { $0.0 == 7 }?.1.contains("enabled must be true or false") == true)
        #expect(errors.first { $0.0 == 8 }?.1.contains("same standard question as line 2") == true)
        #expect(errors.first { $0.0 == 9 }?.1.contains("expected 5 fields, got 2") == true)
        #expect(result["imported"] == 0)
        #expect(result["error_count"] == 5)
        #expect(try await cluster.ok("kb.list", admin)["items"]?.items.isEmpty == true)

        // The same file without the bad rows imports completely; unknown categories can be created on the way.
        let fixed = """
            question,similar_questions,answer,category,enabled
            订单多久发货,什么时候发货|几天发货,"付款后 48 小时内发货，节假日顺延",物流,true
            带引号的问题,,"答案里有 ""引号"" 和逗号,
            还有第二行",物流,是
            发票抬头写错了,,可以重开,财务,false

            """
        let again = try await cluster.ok("kb.import", admin, [
            "blob_key": .string(try await Self.upload(cluster, Array(fixed.utf8))), "format": "csv", "create_categories": true,
        ])
        #expect(again["imported"] == 3)
        #expect(again["created"] == 3)
        #expect(again["errors"]?.items.isEmpty == true)
        let entries = try await cluster.ok("kb.list", admin)["items"]?.items ?? []
        let multiline = try #require(entries.first { $0.string("question") == "带引号的问题" })
        #expect(multiline.string("answer") == "答案里有 \"引号\" 和逗号,\n还有第二行")
        #expect(entries.first { $0.string("question") == "订单多久发货" }?["similar"] == ["什么时候发货", "几天发货"])
        #expect(entries.first { $0.string("question") == "发票抬头写错了" }?["enabled"] == false)
        #expect(entries.first { $0.string("question") == "发票抬头写错了" }?.string("category") == "财务")

        // A consumed upload expires within seconds; an unknown key is refused.
        let ttl = try await cluster.redis.send(["TTL", key]).int ?? -1
        #expect((1...10).contains(ttl))
        let unknown = try await cluster.query(
            "kb.import", admin, ["blob_key": .string("\(cluster.streams.prefix):blob:\(UUID().uuidString.lowercased())"), "format": "csv"])
        #expect(unknown.code == "invalid_params")
        let foreign = try await cluster.query("kb.import", admin, ["blob_key": "other:key", "format": "csv"])
        #expect(foreign.code == "invalid_params")
    }

    @Test func malformedJSONItemsAreReportedByLine() async throws {
        let cluster = try await KnowledgeCluster.start()
        defer { cluster.stop() }
        let json = """
            [
              {"question": "会员怎么续费", "answer": "在会员中心续费", "similar": ["续费会员"]},
              {"question": "积分怎么用",
               "answer": ""},
              {"question": "优惠券过期了", "answer": "过期不能恢复", "colour": "red"},
              "不是对象"
            ]
            """
        let key = try await Self.upload(cluster, Array(json.utf8))
        let result = try await cluster.ok("kb.import", KnowledgeCluster.admin, ["blob_key": .string(key), "format": "json"])
        let errors = result["errors"]?.items.map { ($0["line"]?.intValue ?? 0, $0.string("message") ?? "") } ?? []
        #expect(errors.map(\.0) == [3, 5, 6], "\(errors)")
        #expect(errors.first { $0.0 == 5 }?.1.contains("unknown member \"colour\"") == true)
        #expect(result["imported"] == 0)

        let broken = try await Self.upload(cluster, Array("[{\"question\": ".utf8))
        let parse = try await cluster.ok("kb.import", KnowledgeCluster.admin, ["blob_key": .string(broken), "format": "json"])
        #expect(parse["errors"]?.items.first?["line"] == 1)
        #expect(try await cluster.ok("kb.list", KnowledgeCluster.admin)["items"]?.items.isEmpty == true)
    }

    @Test func exportThenImportRoundTrips() async throws {
        let cluster = try await KnowledgeCluster.start()
        defer { cluster.stop() }
        let admin = KnowledgeCluster.admin
        _ = try await cluster.ok("kb_categories.create", admin, ["name": "售后"])
        let originals: [[String: JSONValue]] = [
            ["question": "退货地址是哪里", "answer": "请寄到：上海市浦东新区 xx 路 1 号, 收件人 \"售后部\"", "similar": ["退货寄到哪", "退货地址"], "category": "售后"],
            ["question": "=1+1 是公式吗", "answer": "-不是，这是文本\n第二行", "enabled": false],
            ["question": "How do I reset my password?", "answer": "点击登录页的“忘记密码”。", "similar": ["忘记密码 怎么办"]],
        ]
        for params in originals { _ = try await cluster.ok("kb.create", admin, params) }
        let before = try await cluster.ok("kb.list", admin)["items"]?.items ?? []

        let csvResult = try await cluster.ok("kb.export", admin, ["format": "csv"])
        #expect(csvResult.string("mime_type") == "text/csv; charset=utf-8")
        let csv = try await Self.download(cluster, csvResult)
        #expect(Array(csv.prefix(3)) == [0xEF, 0xBB, 0xBF])
        let text = String(decoding: csv.dropFirst(3), as: UTF8.self)
        #expect(text.hasPrefix("question,similar_questions,answer,category,enabled\r\n"))
        #expect(text.contains("'=1+1 是公式吗"))

        // Importing the export changes nothing.
        let same = try await cluster.ok("kb.import", admin, ["blob_key": .string(try await Self.upload(cluster, csv)), "format": "csv"])
        #expect(same["unchanged"] == 3)
        #expect(same["created"] == 0 && same["updated"] == 0)

        // Into an empty knowledge base (after deleting everything), it recreates the same entries.
        for entry in before { _ = try await cluster.ok("kb.delete", admin, ["entry_id": .string(entry.string("entry_id") ?? "")]) }
        let recreated = try await cluster.ok("kb.import", admin, ["blob_key": .string(try await Self.upload(cluster, csv)), "format": "csv"])
        #expect(recreated["created"] == 3)
        let after = try await cluster.ok("kb.list", admin)["items"]?.items ?? []
        #expect(Self.content(after) == Self.content(before))

        let jsonResult = try await cluster.ok("kb.export", admin, ["format": "json"])
        let json = try await Self.download(cluster, jsonResult)
        let items = try JSONDecoder().decode([JSONValue].self, from: Data(json))
        #expect(Self.content(items) == Self.content(before))
        let jsonAgain = try await cluster.ok("kb.import", admin, ["blob_key": .string(try await Self.upload(cluster, json)), "format": "json"])
        #expect(jsonAgain["unchanged"] == 3)
    }

    /// What an export must preserve, order-independent.
    static func content(_ entries: [JSONValue]) -> Set<String> {
        Set(entries.map { entry in
            [entry.string("question") ?? "", entry.string("answer") ?? "", entry.string("category") ?? "",
             "\(entry["similar"]?.items.compactMap(\.stringValue) ?? [])", "\(entry["enabled"] ?? .null)"].joined(separator: "¦")
        })
    }
}

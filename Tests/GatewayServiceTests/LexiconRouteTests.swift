import Foundation
import KefuModel
import Testing

/// 词库 / 同义词 through the gateway with the real knowledge service: a text import reports each bad line with
/// its number and applies the rest, the lists and deletes work, and agents are refused.
@Suite(.serialized)
struct LexiconRouteTests {
    @Test func wordAndSynonymImportsListsAndDeletesAreAdminOnly() async throws {
        let harness = try await GatewayHarness()
        defer { Task { await harness.shutdown() } }
        try await harness.launchService("knowledge")
        let admin = try await harness.login()
        let agent = try await harness.makeAgent("lex", admin: admin.access)

        let words = try await harness.request(
            "POST", "/api/v1/admin/knowledge-words/import", token: admin.access,
            body: Data("# 行业词\n白条分期 5000\n券\n运费险\n".utf8), headers: ["Content-Type": "text/plain; charset=utf-8"])
        #expect(words.status == 200, "\(words.text)")
        #expect(words.json?["added"]?.intValue == 2 && words.json?["error_count"]?.intValue == 1)
        #expect(array(words.json?["errors"]).first?["line"]?.intValue == 3)
        let listed = try await harness.request("GET", "/api/v1/admin/knowledge-words?q=%E7%99%BD%E6%9D%A1", token: admin.access)
        #expect(array(listed.json?["items"]).compactMap { $0["word"]?.stringValue } == ["白条分期"], "\(listed.text)")
        let wordID = try #require(array(listed.json?["items"]).first?["word_id"]?.stringValue)

        let created = try await harness.request(
            "POST", "/api/v1/admin/knowledge-synonyms", token: admin.access,
            json: .object(["canonical": "退款", "variants": .array(["退钱", "返钱"])]))
        #expect(created.status == 201, "\(created.text)")
        let clash = try await harness.request(
            "POST", "/api/v1/admin/knowledge-synonyms", token: admin.access, json: .object(["canonical": "返钱", "variants": .array(["还钱"])]))
        #expect(clash.status == 409 && clash.errorCode == "duplicate_synonym", "\(clash.text)")
        let synonyms = try await harness.request(
            "POST", "/api/v1/admin/knowledge-synonyms/import", token: admin.access, body: Data("快递 物流\n换货 退钱\n".utf8))
        #expect(synonyms.status == 200 && synonyms.json?["added"]?.intValue == 1, "\(synonyms.text)")
        #expect(array(synonyms.json?["errors"]).first?["line"]?.intValue == 2)

        for (method, path) in [("GET", "/api/v1/admin/knowledge-words"), ("GET", "/api/v1/admin/knowledge-synonyms"),
                               ("DELETE", "/api/v1/admin/knowledge-words/\(wordID)")] {
            let refused = try await harness.request(method, path, token: agent.access)
            #expect(refused.status == 403 && refused.errorCode == "forbidden", "\(method) \(path)")
        }
        let asAgent = try await harness.request("POST", "/api/v1/admin/knowledge-words/import", token: agent.access, body: Data("白条\n".utf8))
        #expect(asAgent.status == 403)

        let deleted = try await harness.request("DELETE", "/api/v1/admin/knowledge-words/\(wordID)", token: admin.access)
        #expect(deleted.status == 200, "\(deleted.text)")
        let gone = try await harness.request("DELETE", "/api/v1/admin/knowledge-words/\(wordID)", token: admin.access)
        #expect(gone.status == 404 && gone.errorCode == "unknown_word")
    }
}

private func array(_ value: JSONValue?) -> [JSONValue] {
    if case .array(let items) = value { return items }
    return []
}

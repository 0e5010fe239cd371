import Foundation
import KefuModel
import Testing
@testable import StoreService

/// `file.put` and `file.get` through real Redis keys and PostgreSQL: the type from the bytes, refusals that
/// leave nothing behind (no row, no blob key), redelivery, and who may read a file.
@Suite struct FileQueriesTests {
    static let pdf = Array("%PDF-1.7\n%%EOF\n".utf8)
    let agentA = AgentID.random()
    let agentB = AgentID.random()

    func session(_ harness: QueryHarness) async throws -> SessionID {
        let session = SessionID.random()
        try await harness.store.record([StoreHarness.created(session, seq: 1), StoreHarness.assigned(session, seq: 2, agent: agentA)])
        return session
    }

    func put(_ harness: QueryHarness, _ actor: Actor, _ session: SessionID, _ bytes: [UInt8], name: String = "发票.pdf",
             id: EventID = .random()) async throws -> (ReplyResult, String) {
        let key = try await harness.upload(bytes)
        let params: [String: JSONValue] = ["blob_key": .string(key), "session_id": .string(session.description), "name": .string(name)]
        return (try await harness.ask("file.put", actor, params, id: id), key)
    }

    func exists(_ harness: QueryHarness, _ key: String) async throws -> Bool {
        try await harness.redis.send(["EXISTS", key]).int == 1
    }

    func rows(_ harness: QueryHarness) async throws -> Int {
        try await harness.store.postgres.query("SELECT count(*) FROM store.files").first.map { try $0.decode(Int.self, at: 0) } ?? -1
    }

    @Test func storesByContentServesBackAndAnswersARedeliveryOnce() async throws {
        let harness = try await QueryHarness.make()
        defer { Task { await harness.shutdown() } }
        let session = try await session(harness)
        let id = EventID.random()
        let (reply, key) = try await put(harness, QueryHarness.visitor(), session, Self.pdf, name: "readme.txt", id: id)
        #expect(reply.ok, "\(reply)")
        #expect(reply.result?["mime_type"]?.stringValue == "application/pdf", "the bytes decide, not the name")
        #expect(reply.result?["name"]?.stringValue == "readme.txt")
        #expect(reply.result?["size"]?.intValue == Self.pdf.count)
        #expect(try await exists(harness, key) == false)
        let again = try await put(harness, QueryHarness.visitor(), session, Self.pdf, id: id).0
        #expect(again.result?["file_id"] == reply.result?["file_id"])
        #expect(try await rows(harness) == 1)

        let fileID = try #require(reply.result?["file_id"]?.stringValue)
        let got = try await harness.ask("file.get", QueryHarness.agent(agentA), ["file_id": .string(fileID)])
        #expect(got.ok, "\(got)")
        #expect(got.result?["name"]?.stringValue == "readme.txt")
        let blob = try #require(got.result?["blob_key"]?.stringValue)
        #expect(try await harness.redis.send([Array("GET".utf8), Array(blob.utf8)]).bytes == Self.pdf)
        #expect(try await harness.ask("file.get", QueryHarness.visitor("v-2"), ["file_id": .string(fileID)]).code == "unknown_file")
        #expect(try await harness.ask("file.get", QueryHarness.agent(agentB), ["file_id": .string(fileID)]).code == "forbidden")
        #expect(try await harness.ask("file.get", QueryHarness.visitor(), ["file_id": .string(UUID().uuidString)]).code == "unknown_file")
    }

    @Test func refusalsLeaveNoRowAndNoBlob() async throws {
        let harness = try await QueryHarness.make()
        defer { Task { await harness.shutdown() } }
        let session = try await session(harness)
        let executable: [UInt8] = [0x4D, 0x5A, 0x90, 0x00] + Array(repeating: 0, count: 60)
        let cases: [(Actor, [UInt8], String, String)] = [
            (QueryHarness.visitor(), executable, "invoice.pdf", "unsupported_file"),
            (QueryHarness.visitor(), Self.pdf, "../x.pdf", "invalid_params"),
            (QueryHarness.visitor("v-2"), Self.pdf, "a.pdf", "unknown_session"),
            (QueryHarness.agent(agentB), Self.pdf, "a.pdf", "forbidden"),
        ]
        for (actor, bytes, name, code) in cases {
            let (reply, key) = try await put(harness, actor, session, bytes, name: name)
            #expect(reply.code == code, "\(name): \(reply)")
            #expect(try await exists(harness, key) == false, "\(name): the blob is deleted")
        }
        #expect(try await rows(harness) == 0)
    }
}

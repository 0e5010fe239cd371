import Foundation
import KefuModel
import Testing
@testable import StoreService

/// Test image bytes: the right magic number followed by filler.
enum SampleImages {
    static let png: [UInt8] = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A] + Array(repeating: 7, count: 100)
    static let jpeg: [UInt8] = [0xFF, 0xD8, 0xFF, 0xE0] + Array(repeating: 1, count: 100)
    static let gif: [UInt8] = Array("GIF89a".utf8) + Array(repeating: 2, count: 50)
    static let gif87: [UInt8] = Array("GIF87a".utf8) + Array(repeating: 2, count: 50)
    static let webp: [UInt8] = Array("RIFF".utf8) + [0x24, 0, 0, 0] + Array("WEBPVP8 ".utf8) + Array(repeating: 3, count: 40)
    static let svg: [UInt8] = Array(#"<svg xmlns="http://www.w3.org/2000/svg"/>"#.utf8)
    static let wave: [UInt8] = Array("RIFF".utf8) + [0x24, 0, 0, 0] + Array("WAVEfmt ".utf8)
    static let gif88: [UInt8] = Array("GIF88a".utf8) + [0, 0]
    static let shortPNG: [UInt8] = [0x89, 0x50, 0x4E, 0x47]
}

@Suite struct ImageFormatTests {
    @Test func recognisesTheFourFormatsByTheirBytes() {
        #expect(ImageFormat.detect(SampleImages.png) == .png)
        #expect(ImageFormat.detect(SampleImages.jpeg) == .jpeg)
        #expect(ImageFormat.detect(SampleImages.gif) == .gif)
        #expect(ImageFormat.detect(SampleImages.gif87) == .gif)
        #expect(ImageFormat.detect(SampleImages.webp) == .webp)
    }

    @Test func refusesEverythingElse() {
        for bytes in [SampleImages.svg, SampleImages.wave, SampleImages.gif88, SampleImages.shortPNG, [], Array("RIFF".utf8)] {
            #expect(ImageFormat.detect(bytes) == nil, "\(bytes.prefix(12))")
        }
    }
}

/// `image.put` and `image.get` through real Redis keys and PostgreSQL.
@Suite struct ImageQueriesTests {
    let agentA = AgentID.random()
    let agentB = AgentID.random()

    /// A session of visitor v-1 assigned to agent A.
    func session(_ harness: QueryHarness) async throws -> SessionID {
        let session = SessionID.random()
        try await harness.store.record([StoreHarness.created(session, seq: 1), StoreHarness.assigned(session, seq: 2, agent: agentA)])
        return session
    }

    func put(_ harness: QueryHarness, _ actor: Actor, _ session: SessionID, _ bytes: [UInt8], declared: String? = nil,
             id: EventID = .random()) async throws -> (ReplyResult, String) {
        let key = try await harness.upload(bytes)
        var params: [String: JSONValue] = ["blob_key": .string(key), "session_id": .string(session.description)]
        if let declared { params["mime_type"] = .string(declared) }
        return (try await harness.ask("image.put", actor, params, id: id), key)
    }

    func exists(_ harness: QueryHarness, _ key: String) async throws -> Bool {
        try await harness.redis.send(["EXISTS", key]).int == 1
    }

    @Test(arguments: [
        (SampleImages.png, "image/png"), (SampleImages.jpeg, "image/jpeg"), (SampleImages.gif, "image/gif"),
        (SampleImages.webp, "image/webp"),
    ])
    func storesEachFormatAndServesItBackThroughAShortLivedKey(_ bytes: [UInt8], _ mimeType: String) async throws {
        let harness = try await QueryHarness.make()
        defer { Task { await harness.shutdown() } }
        let session = try await session(harness)
        let (reply, key) = try await put(harness, QueryHarness.visitor(), session, bytes)
        #expect(reply.ok, "\(reply)")
        #expect(reply.result?["size"]?.intValue == bytes.count)
        #expect(reply.result?["mime_type"]?.stringValue == mimeType)
        #expect(try await exists(harness, key) == false, "the upload key is deleted once stored")
        let imageID = try #require(reply.result?["image_id"]?.stringValue)

        let got = try await harness.ask("image.get", QueryHarness.visitor(), ["image_id": .string(imageID)])
        #expect(got.ok, "\(got)")
        let blobKey = try #require(got.result?["blob_key"]?.stringValue)
        #expect(blobKey.hasPrefix("\(harness.prefix):blob:"))
        #expect(got.result?["mime_type"]?.stringValue == mimeType)
        #expect(got.result?["size"]?.intValue == bytes.count)
        #expect(try await harness.redis.send([Array("GET".utf8), Array(blobKey.utf8)]).bytes == bytes)
        let ttl = try await harness.redis.send(["TTL", blobKey]).int ?? -1
        #expect((1...60).contains(ttl), "download keys expire within 60 s, got \(ttl)")
    }

    @Test func theBytesDecideTheTypeNotTheDeclaredOne() async throws {
        let harness = try await QueryHarness.make()
        defer { Task { await harness.shutdown() } }
        let session = try await session(harness)
        let (reply, _) = try await put(harness, QueryHarness.visitor(), session, SampleImages.jpeg, declared: "image/png")
        #expect(reply.result?["mime_type"]?.stringValue == "image/jpeg")
        let (bogus, _) = try await put(harness, QueryHarness.visitor(), session, SampleImages.png, declared: "image/svg+xml")
        #expect(bogus.code == "invalid_params")
    }

    @Test(arguments: [SampleImages.svg, SampleImages.wave, SampleImages.gif88, SampleImages.shortPNG])
    func otherContentIsRefusedAndItsKeyDeleted(_ bytes: [UInt8]) async throws {
        let harness = try await QueryHarness.make()
        defer { Task { await harness.shutdown() } }
        let session = try await session(harness)
        let (reply, key) = try await put(harness, QueryHarness.visitor(), session, bytes, declared: "image/png")
        #expect(reply.code == "invalid_image", "\(reply)")
        #expect(try await exists(harness, key) == false)
        #expect(try await harness.store.count("SELECT count(*) FROM store.images") == 0)
    }

    @Test func theSizeLimitIsFiveMebibytes() async throws {
        let harness = try await QueryHarness.make()
        defer { Task { await harness.shutdown() } }
        let session = try await session(harness)
        let limit = 5 * 1024 * 1024
        let exact = SampleImages.png + Array(repeating: 0, count: limit - SampleImages.png.count)
        let (fits, _) = try await put(harness, QueryHarness.visitor(), session, exact)
        #expect(fits.ok, "\(fits)")
        #expect(fits.result?["size"]?.intValue == limit)
        let (tooBig, key) = try await put(harness, QueryHarness.visitor(), session, exact + [0])
        #expect(tooBig.code == "payload_too_large", "\(tooBig)")
        #expect(try await exists(harness, key) == false)
        #expect(try await harness.store.count("SELECT count(*) FROM store.images") == 1)
    }

    @Test func onlyBlobKeysThatExistAreRead() async throws {
        let harness = try await QueryHarness.make()
        defer { Task { await harness.shutdown() } }
        let session = try await session(harness)
        let missing = "\(harness.prefix):blob:\(UUID().uuidString.lowercased())"
        let other = "\(harness.prefix):events"
        _ = try await harness.redis.send(["SET", other, "keep me"])
        for key in [missing, other, "elsewhere:blob:\(UUID().uuidString.lowercased())", "\(harness.prefix):blob:../x"] {
            let reply = try await harness.ask(
                "image.put", QueryHarness.visitor(), ["blob_key": .string(key), "session_id": .string(session.description)])
            #expect(reply.code == "invalid_params", "\(key): \(reply)")
        }
        #expect(try await harness.redis.send(["GET", other]).string == "keep me", "a key outside the blob namespace is never touched")
    }

    @Test func uploadsGoOnlyToSessionsTheActorMayUse() async throws {
        let harness = try await QueryHarness.make()
        defer { Task { await harness.shutdown() } }
        let session = try await session(harness)
        func code(_ actor: Actor, _ target: SessionID) async throws -> String {
            let (reply, _) = try await put(harness, actor, target, SampleImages.png)
            return reply.ok ? "ok" : reply.code ?? "?"
        }
        #expect(try await code(QueryHarness.visitor("v-1"), session) == "ok")
        #expect(try await code(QueryHarness.visitor("v-2"), session) == "unknown_session")
        #expect(try await code(QueryHarness.agent(agentA), session) == "ok")
        #expect(try await code(QueryHarness.agent(agentB), session) == "forbidden")
        #expect(try await code(QueryHarness.admin, session) == "ok")
        #expect(try await code(Actor(role: .service), session) == "forbidden")
        #expect(try await code(QueryHarness.visitor("v-1"), SessionID.random()) == "unknown_session")
        let rows = try await harness.store.postgres.query(
            "SELECT uploader_role, uploader_id, uploader_channel FROM store.images ORDER BY created_at")
        #expect(try rows.map { try $0.decode(String.self, at: 0) } == ["visitor", "agent", "admin"])
        #expect(try rows[0].decode(String.self, at: 1) == "v-1")
        #expect(try rows[0].decode(String?.self, at: 2) == "web")
        #expect(try rows[1].decode(String.self, at: 1) == agentA.description)
    }

    @Test func imagesAreServedOnlyToTheSessionsVisitorAgentsAndAdmins() async throws {
        let harness = try await QueryHarness.make()
        defer { Task { await harness.shutdown() } }
        let session = try await session(harness)
        let (reply, _) = try await put(harness, QueryHarness.agent(agentA), session, SampleImages.gif)
        let imageID = try #require(reply.result?["image_id"]?.stringValue)
        func code(_ actor: Actor, _ id: String = imageID) async throws -> String {
            let got = try await harness.ask("image.get", actor, ["image_id": .string(id)])
            return got.ok ? "ok" : got.code ?? "?"
        }
        #expect(try await code(QueryHarness.visitor("v-1")) == "ok")
        #expect(try await code(QueryHarness.visitor("v-2")) == "unknown_image")
        #expect(try await code(QueryHarness.agent(agentA)) == "ok")
        #expect(try await code(QueryHarness.agent(agentB)) == "forbidden")
        #expect(try await code(QueryHarness.admin) == "ok")
        #expect(try await code(QueryHarness.visitor("v-1"), UUID().uuidString.lowercased()) == "unknown_image")
        #expect(try await code(QueryHarness.admin, "nope") == "invalid_params")
    }

    @Test func aRedeliveredUploadAnswersWithTheImageAlreadyStored() async throws {
        let harness = try await QueryHarness.make()
        defer { Task { await harness.shutdown() } }
        let session = try await session(harness)
        let requestID = EventID.random()
        let (first, key) = try await put(harness, QueryHarness.visitor(), session, SampleImages.png, id: requestID)
        let again = try await harness.ask(
            "image.put", QueryHarness.visitor(), ["blob_key": .string(key), "session_id": .string(session.description)],
            id: requestID)
        #expect(first.ok && again.ok)
        #expect(again.result == first.result)
        #expect(try await harness.store.count("SELECT count(*) FROM store.images") == 1)
    }
}

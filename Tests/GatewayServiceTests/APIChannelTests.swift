import Foundation
import KefuModel
import Logging
import Postgres
import Testing

/// The API channel through real HTTP, Redis and PostgreSQL: keys are shown once and stored hashed,
/// revoked or foreign keys are refused, sends write the same `visitor.*` envelopes a connector would and are
/// idempotent, bad input writes nothing, and the event feed resumes from a cursor without gaps.
@Suite(.serialized)
struct APIChannelTests {
    static let session = "3f2c8a4e-6b1d-4c8e-9a7f-2d5e8b1c4a90"

    /// Answers like routing and store would.
    static func answers(_ request: StreamResponder.Request) async -> ReplyResult? {
        switch (request.type, request.name) {
        case ("visitor.message", _): .success(.object(["session_id": .string(session), "seq": 2]))
        case ("visitor.request_human", _), ("visitor.end", _): .success(.object(["session_id": .string(session)]))
        case ("visitor.rating", _): .success(.object(["session_id": .string(session), "seq": 9]))
        case ("query.request", "visitor.current"): .success(.object(["session": .object(["session_id": .string(session), "state": "bot"])]))
        case ("query.request", "history.page"): .success(.object(["items": .array([]), "has_more": false]))
        default: nil
        }
    }

    /// Creates an API channel as `admin`; returns its first key.
    static func createChannel(_ harness: GatewayHarness, _ name: String, admin: String) async throws -> String {
        let reply = try await harness.request("POST", "/api/v1/admin/channels", token: admin, json: .object([
            "name": .string(name), "display_name": "商城 App", "key_label": "生产",
        ]))
        guard reply.status == 201, let key = reply.json?["key"]?["key"]?.stringValue else {
            throw HarnessError.unexpected("create channel \(name): \(reply.status) \(reply.text)")
        }
        return key
    }

    static func message(_ visitor: String, _ id: String, _ text: String) -> JSONValue {
        .object(["visitor_id": .string(visitor), "client_message_id": .string(id), "text": .string(text)])
    }

    @Test func keysAreShownOnceStoredHashedRevocableAndBoundToTheirChannel() async throws {
        let harness = try await GatewayHarness()
        defer { Task { await harness.shutdown() } }
        harness.responder.answer(Self.answers)
        let admin = try await harness.login().access
        let agent = try await harness.makeAgent("agent1", admin: admin).access
        #expect(try await harness.request("GET", "/api/v1/admin/channels").status == 401)
        #expect(try await harness.request("GET", "/api/v1/admin/channels", token: agent).status == 403)

        let created = try await harness.request("POST", "/api/v1/admin/channels", token: admin, json: .object([
            "name": "shopapp", "display_name": "商城 App", "key_label": "生产",
        ]))
        #expect(created.status == 201, "\(created.text)")
        let key = try #require(created.json?["key"]?["key"]?.stringValue)
        let keyID = try #require(created.json?["key"]?["id"]?.stringValue)
        #expect(key.hasPrefix("kefu_ck_") && key.count == 51)
        let prefix = try #require(created.json?["key"]?["prefix"]?.stringValue)
        #expect(key.hasPrefix(prefix) && prefix.count < 20)
        #expect(created.json?["channel"]?["active_keys"] == .integer(1))

        // Shown once: no listing contains the secret.
        let detail = try await harness.request("GET", "/api/v1/admin/channels/shopapp", token: admin)
        #expect(detail.status == 200)
        #expect(!detail.text.contains(key))
        #expect(detail.json?["keys"]?[0]?["prefix"]?.stringValue == prefix)
        #expect(detail.json?["keys"]?[0]?["key"] == nil)
        let listed = try await harness.request("GET", "/api/v1/admin/channels", token: admin)
        #expect(listed.json?["channels"]?[0]?["name"]?.stringValue == "shopapp")
        #expect(!listed.text.contains(key))

        // Hashed in the database: only SHA-256 and the prefix are there.
        let postgres = PostgresClient(configuration: try PostgresConfiguration(url: harness.databaseURL), logger: Logger(label: "test"))
        defer { Task { try? await postgres.shutdown() } }
        let rows = try await postgres.query("SELECT key_hash, prefix, row_to_json(k)::text FROM gateway.api_keys k")
        #expect(rows.count == 1)
        #expect(try rows[0].decode([UInt8].self, at: 0) == SHA256.digest(Array(key.utf8)))
        #expect(try rows[0].decode(String.self, at: 1) == prefix)
        #expect(try !rows[0].decode(String.self, at: 2).contains(String(key.dropFirst(8))))

        // Names: taken, a widget channel, malformed.
        let again = try await harness.request("POST", "/api/v1/admin/channels", token: admin, json: .object(["name": "shopapp"]))
        #expect(again.status == 409 && again.errorCode == "channel_exists")
        #expect(try await harness.request("POST", "/api/v1/admin/channels", token: admin, json: .object(["name": "web-pc"])).status == 409)
        let bad = try await harness.request("POST", "/api/v1/admin/channels", token: admin, json: .object(["name": "Shop App"]))
        #expect(bad.status == 400 && bad.errorCode == "invalid_field", "\(bad.text)")
        let longLabel = try await harness.request("POST", "/api/v1/admin/channels", token: admin, json: .object([
            "name": "halfway", "key_label": .string(String(repeating: "标", count: 65)),
        ]))
        #expect(longLabel.status == 400, "\(longLabel.text)")
        #expect(try await harness.request("GET", "/api/v1/admin/channels/halfway", token: admin).status == 404)

        // The key works; no key, an unknown key and a malformed one get 401 with the JSON error.
        let path = "/api/v1/channels/shopapp/messages"
        #expect(try await harness.request("POST", path, token: key, json: Self.message("u-1", "m-1", "你好")).status == 200)
        for token in [nil, "kefu_ck_" + String(repeating: "A", count: 43), "not-a-key", created.json?["key"]?["prefix"]?.stringValue] {
            let refused = try await harness.request("POST", path, token: token, json: Self.message("u-1", "m-2", "你好"))
            #expect(refused.status == 401, "\(token ?? "none"): \(refused.text)")
            #expect(refused.errorCode == "unauthorized")
            #expect(refused.header("WWW-Authenticate") == "Bearer")
        }

        // A key of another channel: 403.
        let crmKey = try await Self.createChannel(harness, "crm", admin: admin)
        let foreign = try await harness.request("POST", path, token: crmKey, json: Self.message("u-1", "m-3", "你好"))
        #expect(foreign.status == 403 && foreign.errorCode == "forbidden", "\(foreign.text)")
        #expect(try await harness.request("GET", "/api/v1/channels/shopapp/events?timeout=0", token: crmKey).status == 403)

        // Several keys per channel; revoking one leaves the others.
        let second = try await harness.request("POST", "/api/v1/admin/channels/shopapp/keys", token: admin, json: .object(["label": "测试"]))
        #expect(second.status == 201)
        let secondKey = try #require(second.json?["key"]?.stringValue)
        let secondID = try #require(second.json?["id"]?.stringValue)
        let revoked = try await harness.request("DELETE", "/api/v1/admin/channels/shopapp/keys/\(keyID)", token: admin)
        #expect(revoked.status == 200 && revoked.json?["status"]?.stringValue == "revoked", "\(revoked.text)")
        #expect(try await harness.request("POST", path, token: key, json: Self.message("u-1", "m-4", "你好")).status == 401)
        #expect(try await harness.request("POST", path, token: secondKey, json: Self.message("u-1", "m-5", "你好")).status == 200)
        #expect(try await harness.request("DELETE", "/api/v1/admin/channels/crm/keys/\(secondID)", token: admin).status == 404)

        // Rotation with a grace period: both work until it ends; without one, the old key stops at once.
        let graceful = try await harness.request(
            "POST", "/api/v1/admin/channels/shopapp/keys/\(secondID)/rotate", token: admin, json: .object(["grace_seconds": 300]))
        #expect(graceful.status == 201, "\(graceful.text)")
        #expect(graceful.json?["previous"]?["status"]?.stringValue == "expiring")
        let thirdKey = try #require(graceful.json?["key"]?["key"]?.stringValue)
        let thirdID = try #require(graceful.json?["key"]?["id"]?.stringValue)
        #expect(graceful.json?["key"]?["label"]?.stringValue == "测试")
        #expect(try await harness.request("POST", path, token: secondKey, json: Self.message("u-1", "m-6", "你好")).status == 200)
        #expect(try await harness.request("POST", path, token: thirdKey, json: Self.message("u-1", "m-7", "你好")).status == 200)
        let again2 = try await harness.request("POST", "/api/v1/admin/channels/shopapp/keys/\(secondID)/rotate", token: admin, json: .object([:]))
        #expect(again2.status == 409 && again2.errorCode == "key_revoked")
        let immediate = try await harness.request("POST", "/api/v1/admin/channels/shopapp/keys/\(thirdID)/rotate", token: admin, json: .object([:]))
        #expect(immediate.status == 201)
        #expect(try await harness.request("POST", path, token: thirdKey, json: Self.message("u-1", "m-8", "你好")).status == 401)
        let fourthKey = try #require(immediate.json?["key"]?["key"]?.stringValue)
        #expect(try await harness.request("POST", path, token: fourthKey, json: Self.message("u-1", "m-9", "你好")).status == 200)
        let badGrace = try await harness.request(
            "POST", "/api/v1/admin/channels/shopapp/keys/\(secondID)/rotate", token: admin, json: .object(["grace_seconds": -1]))
        #expect(badGrace.status == 400)
        let shown = try await harness.request("GET", "/api/v1/admin/channels/shopapp/keys", token: admin)
        #expect(shown.json?["keys"]?.arrayValue?.count == 4)
        #expect(try await harness.request("GET", "/api/v1/admin/channels/nope", token: admin).status == 404)
    }

    @Test func sendsWriteTheVisitorEnvelopesOnceAndAnswerWithRouting() async throws {
        let harness = try await GatewayHarness()
        defer { Task { await harness.shutdown() } }
        harness.responder.answer(Self.answers)
        let admin = try await harness.login().access
        let key = try await Self.createChannel(harness, "shopapp", admin: admin)
        let body: JSONValue = .object([
            "visitor_id": "u-42", "client_message_id": "m-1", "text": "我的订单还没发货",
            "attributes": .object(["name": "王先生", "device": "app"]), "priority": 3,
        ])
        var answers: [String] = []
        for attempt in 0..<3 {
            let reply = try await harness.request("POST", "/api/v1/channels/shopapp/messages", token: key, json: body)
            #expect(reply.status == 200, "\(reply.text)")
            #expect(reply.json?["session_id"]?.stringValue == Self.session)
            if attempt > 0 { #expect(reply.header("Idempotent-Replay") == "true") }
            answers.append(reply.text)
        }
        #expect(Set(answers).count == 1)
        let conflict = try await harness.request("POST", "/api/v1/channels/shopapp/messages", token: key, json: Self.message("u-42", "m-1", "另一句"))
        #expect(conflict.status == 409 && conflict.errorCode == "idempotency_conflict")

        let action: JSONValue = .object(["visitor_id": "u-42", "client_message_id": "a-1", "session_id": .string(Self.session)])
        for _ in 0..<2 {
            #expect(try await harness.request("POST", "/api/v1/channels/shopapp/request-human", token: key, json: action).status == 200)
            #expect(try await harness.request("POST", "/api/v1/channels/shopapp/end", token: key, json: action).status == 200)
        }
        let rating: JSONValue = .object([
            "visitor_id": "u-42", "client_message_id": "r-1", "session_id": .string(Self.session), "stars": 5, "comment": "很快",
        ])
        #expect(try await harness.request("POST", "/api/v1/channels/shopapp/rating", token: key, json: rating).status == 200)
        #expect(try await harness.request("POST", "/api/v1/channels/shopapp/rating", token: key, json: rating).status == 200)

        try await Task.sleep(for: .milliseconds(300))
        let inbound = try await harness.entries("inbound")
        #expect(inbound.map { $0["type"]?.stringValue ?? "" } == ["visitor.message", "visitor.request_human", "visitor.end", "visitor.rating"])
        let sent = try #require(inbound.first)
        #expect(sent["source"]?.stringValue?.hasPrefix("gateway-") == true)
        #expect(sent["data"] == .object([
            "channel": "shopapp", "visitor_id": "u-42", "client_message_id": "m-1", "text": "我的订单还没发货",
            "attributes": .object(["name": "王先生", "device": "app"]), "priority": 3,
        ]))
        #expect(inbound[1]["data"]?["session_hint"]?.stringValue == Self.session)
        #expect(inbound[3]["data"]?["stars"] == .integer(5))

        // Images: uploaded as the visitor (same checks as the widget), then sent by id; another visitor cannot use it.
        let imageID = "a1b2c3d4-e5f6-4a7b-8c9d-0e1f2a3b4c5d"
        harness.responder.answer { request in
            if request.name == "image.put" { return .success(.object(["image_id": .string(imageID), "size": 79])) }
            return await Self.answers(request)
        }
        let upload = "/api/v1/channels/shopapp/images?visitor_id=u-42&session_id=\(Self.session)"
        let uploaded = try await harness.request("POST", upload, token: key, body: Data(VisitorAPITests.png))
        #expect(uploaded.status == 201 && uploaded.json?["image_id"]?.stringValue == imageID, "\(uploaded.text)")
        #expect(uploaded.json?["mime_type"]?.stringValue == "image/png")
        let put = try #require(harness.responder.requests.first { $0.name == "image.put" })
        #expect(put.actor?["visitor_id"]?.stringValue == "u-42" && put.actor?["channel"]?.stringValue == "shopapp")
        #expect(try await harness.request("POST", upload, token: key, body: Data("not an image".utf8)).status == 415)
        let image: JSONValue = .object(["visitor_id": "u-42", "client_message_id": "m-2", "image_id": .string(imageID)])
        #expect(try await harness.request("POST", "/api/v1/channels/shopapp/messages", token: key, json: image).status == 200)
        let stolen: JSONValue = .object(["visitor_id": "u-43", "client_message_id": "m-2", "image_id": .string(imageID)])
        let refused = try await harness.request("POST", "/api/v1/channels/shopapp/messages", token: key, json: stolen)
        #expect(refused.status == 404 && refused.errorCode == "unknown_image", "\(refused.text)")
        try await Task.sleep(for: .milliseconds(200))
        let images = try await harness.entries("inbound").filter { $0["data"]?["image"] != nil }
        #expect(images.count == 1 && images.first?["data"]?["image"]?["image_id"]?.stringValue == imageID, "\(images)")

        // The session and history are asked as that visitor of the channel.
        let session = try await harness.request("GET", "/api/v1/channels/shopapp/visitors/u-42/session", token: key)
        #expect(session.status == 200 && session.json?["session"]?["state"]?.stringValue == "bot", "\(session.text)")
        let history = try await harness.request(
            "GET", "/api/v1/channels/shopapp/visitors/u-42/history?session_id=\(Self.session)&after_seq=3", token: key)
        #expect(history.status == 200, "\(history.text)")
        let asked = harness.responder.requests.filter { $0.name == "visitor.current" || $0.name == "history.page" }
        #expect(asked.count == 2)
        for query in asked {
            #expect(query.actor?["role"]?.stringValue == "visitor")
            #expect(query.actor?["channel"]?.stringValue == "shopapp")
            #expect(query.actor?["visitor_id"]?.stringValue == "u-42")
        }
        #expect(asked.last?.params?["after_seq"] == .integer(3))
        #expect(asked.last?.params?["kinds"]?.stringValue == "messages")
        let noSession = try await harness.request("GET", "/api/v1/channels/shopapp/visitors/u-42/history", token: key)
        #expect(noSession.status == 400)
    }

    @Test func badInputIsRefusedWithTheJSONErrorAndNothingIsCreated() async throws {
        let harness = try await GatewayHarness(["KEFU_MAX_JSON_BYTES": "8192"])
        defer { Task { await harness.shutdown() } }
        harness.responder.answer(Self.answers)
        let admin = try await harness.login().access
        let key = try await Self.createChannel(harness, "shopapp", admin: admin)
        let path = "/api/v1/channels/shopapp/messages"
        let cases: [(String, JSONValue, Int, String)] = [
            ("no client_message_id", .object(["visitor_id": "u-1", "text": "你好"]), 400, "missing_field"),
            ("no visitor_id", .object(["client_message_id": "m-1", "text": "你好"]), 400, "missing_field"),
            ("priority above 9", .object(["visitor_id": "u-1", "client_message_id": "m-1", "text": "你好", "priority": 10]), 400, "invalid_field"),
            ("negative priority", .object(["visitor_id": "u-1", "client_message_id": "m-1", "text": "你好", "priority": -1]), 400, "invalid_field"),
            ("text over 5000", .object(["visitor_id": "u-1", "client_message_id": "m-1", "text": .string(String(repeating: "a", count: 5001))]), 400, "invalid_field"),
            ("text and image", .object(["visitor_id": "u-1", "client_message_id": "m-1", "text": "你好", "image_id": .string(Self.session)]), 400, "invalid_field"),
            ("visitor id with a space", .object(["visitor_id": "u 1", "client_message_id": "m-1", "text": "你好"]), 400, "invalid_field"),
            ("too many attributes", .object([
                "visitor_id": "u-1", "client_message_id": "m-1", "text": "你好",
                "attributes": .object(Dictionary(uniqueKeysWithValues: (0..<33).map { ("k\($0)", JSONValue.string("v")) })),
            ]), 400, "invalid_field"),
            ("body over the limit", .object(["visitor_id": "u-1", "client_message_id": "m-1", "text": .string(String(repeating: "字", count: 4000))]), 413, "payload_too_large"),
        ]
        for (name, body, status, code) in cases {
            let reply = try await harness.request("POST", path, token: key, json: body)
            #expect(reply.status == status, "\(name): \(reply.status) \(reply.text)")
            #expect(reply.errorCode == code, "\(name): \(reply.text)")
            #expect(reply.json?["error"]?["message"]?.stringValue?.isEmpty == false, "\(name): \(reply.text)")
        }
        let malformed = try await harness.request("POST", path, token: key, body: Data("{\"visitor_id\":".utf8), headers: ["Content-Type": "application/json"])
        #expect(malformed.status == 400 && malformed.errorCode == "malformed_json")
        let noAction = try await harness.request("POST", "/api/v1/channels/shopapp/end", token: key, json: .object(["visitor_id": "u-1"]))
        #expect(noAction.status == 400 && noAction.errorCode == "missing_field", "\(noAction.text)")
        let badStars = try await harness.request("POST", "/api/v1/channels/shopapp/rating", token: key, json: .object([
            "visitor_id": "u-1", "client_message_id": "r-1", "session_id": .string(Self.session), "stars": 9,
        ]))
        #expect(badStars.status == 400 && badStars.errorCode == "invalid_field", "\(badStars.text)")
        let badCursor = try await harness.request("GET", "/api/v1/channels/shopapp/events?cursor=yesterday", token: key)
        #expect(badCursor.status == 400 && badCursor.errorCode == "invalid_params")
        let noVisitor = try await harness.request("POST", "/api/v1/channels/shopapp/images", token: key, body: Data([1, 2, 3]))
        #expect(noVisitor.status == 400 && noVisitor.errorCode == "invalid_params")

        // Nothing half-created: no stream entry, no idempotency key; the same ids then work.
        try await Task.sleep(for: .milliseconds(300))
        #expect(try await harness.entries("inbound").isEmpty, "bad input reached the inbound stream")
        let postgres = PostgresClient(configuration: try PostgresConfiguration(url: harness.databaseURL), logger: Logger(label: "test"))
        defer { Task { try? await postgres.shutdown() } }
        #expect(try await postgres.query("SELECT 1 FROM gateway.idempotency_keys").isEmpty)
        let healthy = try await harness.request("POST", path, token: key, json: Self.message("u-1", "m-1", "你好"))
        #expect(healthy.status == 200, "\(healthy.text)")
        let ended = try await harness.request("POST", "/api/v1/channels/shopapp/end", token: key, json: .object(["visitor_id": "u-1", "client_message_id": "r-1"]))
        #expect(ended.status == 200, "\(ended.text)")
        #expect(try await harness.entries("inbound").count == 2)
    }

    /// Publishes a session event of `visitor` on `channel` as routing would; returns its stream id.
    @discardableResult
    static func publish(_ harness: GatewayHarness, _ type: String, channel: String, visitor: String = "u-1", seq: Int) async throws -> String {
        let data: JSONValue = .object([
            "session_id": .string(session), "seq": .integer(Int64(seq)), "channel": .string(channel), "visitor_id": .string(visitor),
            "message_id": .string(UUID().uuidString.lowercased()), "sender": "agent", "text": .string("第\(seq)条"),
        ])
        let envelope: JSONValue = .object([
            "id": .string(UUID().uuidString.lowercased()), "type": .string(type), "version": 1, "time": .string(Timestamp.now().rfc3339),
            "source": "routing", "data": data,
        ])
        let bytes = String(decoding: try JSONEncoder().encode(envelope), as: UTF8.self)
        let stream = harness.names.partition(of: harness.stream("events"), key: session)
        return try #require(try await harness.redis.send(["XADD", stream, "*", "event", bytes]).string)
    }

    @Test func theEventFeedResumesFromACursorWithoutGaps() async throws {
        let harness = try await GatewayHarness()
        defer { Task { await harness.shutdown() } }
        harness.responder.answer(Self.answers)
        let admin = try await harness.login().access
        let key = try await Self.createChannel(harness, "shopapp", admin: admin)
        let feed = "/api/v1/channels/shopapp/events"
        // With KEFU_STREAM_PARTITIONS > 1 a cursor holds one id per partition; the test's session is in one.
        let eventStream = harness.names.partition(of: harness.stream("events"), key: Self.session)
        let partition = harness.names.partitions(of: harness.stream("events")).firstIndex(of: eventStream) ?? 0
        func id(_ cursor: String) -> String {
            let parts = cursor.split(separator: ",").map(String.init)
            return parts.count > partition ? parts[partition] : cursor
        }

        let first = try await harness.request("GET", feed + "?timeout=0", token: key)
        #expect(first.status == 200, "\(first.text)")
        #expect(first.json?["events"]?.arrayValue?.isEmpty == true)
        let start = try #require(first.json?["cursor"]?.stringValue)

        var ids: [String] = []
        for seq in 1...5 {
            ids.append(try await Self.publish(harness, "message.accepted", channel: "shopapp", seq: seq))
            try await Self.publish(harness, "message.accepted", channel: "crm", seq: seq)
            try await harness.publishEvent("agent.updated", ["agent_id": .string(UUID().uuidString.lowercased()), "enabled": true])
        }

        // Pages of two: every event once, in order, each cursor resuming right after the last one seen.
        var cursor = start
        var seen: [Int] = []
        var cursors: [String] = []
        var presented = start
        for _ in 0..<4 {
            presented = cursor
            let page = try await harness.request("GET", feed + "?cursor=\(cursor)&limit=2&timeout=1", token: key)
            #expect(page.status == 200, "\(page.text)")
            for event in page.json?["events"]?.arrayValue ?? [] {
                #expect(event["data"]?["channel"]?.stringValue == "shopapp")
                #expect(event["event"]?.stringValue == "message.accepted")
                #expect(event["session_id"]?.stringValue == Self.session)
                seen.append(event["seq"]?.intValue ?? -1)
                cursors.append(event["cursor"]?.stringValue ?? "")
            }
            #expect(page.json?["gap"] == .bool(false))
            cursor = try #require(page.json?["cursor"]?.stringValue)
        }
        #expect(seen == [1, 2, 3, 4, 5])
        #expect(cursors.map(id) == ids)

        // The channel's group holds trimming at the last cursor presented.
        let groups = try await harness.redis.send(["XINFO", "GROUPS", eventStream])
        let group = try #require(groups.array?.first?.array)
        #expect(group[1].string == "connector-shopapp")
        #expect(group.firstIndex { $0.string == "last-delivered-id" }.map { group[$0 + 1].string } == id(presented))
        #expect(presented != start)

        // A long poll waits for the next event and answers as soon as it arrives.
        let waited = Task { try await harness.request("GET", feed + "?cursor=\(cursor)&timeout=10", token: key) }
        try await Task.sleep(for: .milliseconds(400))
        let sixth = try await Self.publish(harness, "session.ended", channel: "shopapp", seq: 6)
        let clock = ContinuousClock.now
        let woken = try await waited.value
        #expect(ContinuousClock.now - clock < .seconds(3))
        #expect(woken.json?["events"]?[0]?["seq"] == .integer(6))
        #expect(woken.json?["events"]?[0]?["event"]?.stringValue == "session.ended")
        #expect(woken.json?["cursor"]?.stringValue.map(id) == sixth)

        // SSE from a cursor: the events after it, with their cursors as ids, then live ones.
        let port = harness.instances[0].port
        let sse = try SSEReader(port: port, path: feed + "?cursor=\(cursors[1])", headers: ["Authorization": "Bearer \(key)"])
        defer { sse.close() }
        let replayed = try sse.readIDs(count: 4, timeout: .seconds(5))
        #expect(replayed.map(id) == Array(ids[2...]) + [sixth])
        #expect(sse.headerText.contains("text/event-stream"))
        let seventh = try await Self.publish(harness, "message.accepted", channel: "shopapp", seq: 7)
        #expect(try sse.readIDs(count: 1, timeout: .seconds(5)).map(id) == [seventh])
        let resumed = try SSEReader(port: port, path: feed, headers: ["Authorization": "Bearer \(key)", "Last-Event-ID": sixth])
        defer { resumed.close() }
        #expect(try resumed.readIDs(count: 1, timeout: .seconds(5)).map(id) == [seventh])

        // Entries trimmed after a cursor are reported as a gap.
        _ = try await harness.redis.send(["XTRIM", eventStream, "MINID", ids[3]])
        let trimmed = try await harness.request("GET", feed + "?cursor=\(start)&timeout=0", token: key)
        #expect(trimmed.json?["gap"] == .bool(true), "\(trimmed.text)")
        let fine = try await harness.request("GET", feed + "?cursor=\(ids[3])&timeout=0", token: key)
        #expect(fine.json?["gap"] == .bool(false))
        #expect(fine.json?["events"]?.arrayValue?.map { $0["seq"]?.intValue ?? 0 } == [5, 6, 7])
    }
    /// Follows the feed from `cursor` until `condition` holds for the events collected; returns them.
    static func follow(
        _ harness: GatewayHarness, key: String, from cursor: String, until condition: ([JSONValue]) -> Bool
    ) async throws -> [JSONValue] {
        var events: [JSONValue] = []
        var cursor = cursor
        let deadline = ContinuousClock.now + .seconds(20)
        while !condition(events), ContinuousClock.now < deadline {
            let page = try await harness.request("GET", "/api/v1/channels/shopapp/events?cursor=\(cursor)&timeout=2", token: key)
            events += page.json?["events"]?.arrayValue ?? []
            cursor = page.json?["cursor"]?.stringValue ?? cursor
        }
        return events
    }

    @Test func aConversationThroughTheRealRoutingAndStore() async throws {
        let harness = try await GatewayHarness()
        defer { Task { await harness.shutdown() } }
        try await harness.launchService("routing")
        try await harness.launchService("store")
        let admin = try await harness.login().access
        let agent = try await harness.makeAgent("erin", admin: admin)
        let key = try await Self.createChannel(harness, "shopapp", admin: admin)
        let start = try #require(try await harness.request("GET", "/api/v1/channels/shopapp/events?timeout=0", token: key).json?["cursor"]?.stringValue)
        var online = try await harness.request("PUT", "/api/v1/agent/status", token: agent.access, json: .object(["status": "online"]))
        let accepted = try await harness.eventually(timeout: .seconds(15)) {
            if online.status == 200 { return true }
            try await Task.sleep(for: .milliseconds(200))
            online = try await harness.request("PUT", "/api/v1/agent/status", token: agent.access, json: .object(["status": "online"]))
            return online.status == 200
        }
        #expect(accepted, "status: \(online.status) \(online.text)")

        let first = try await harness.request("POST", "/api/v1/channels/shopapp/messages", token: key, json: .object([
            "visitor_id": "u-7", "client_message_id": "m-1", "text": "你好", "attributes": .object(["name": "王先生"]), "priority": 2,
        ]))
        #expect(first.status == 200, "\(first.text)")
        let session = try #require(first.json?["session_id"]?.stringValue)
        let human = try await harness.request("POST", "/api/v1/channels/shopapp/request-human", token: key, json: .object([
            "visitor_id": "u-7", "client_message_id": "h-1", "session_id": .string(session),
        ]))
        #expect(human.status == 200, "\(human.text)")
        var assigned = false
        for _ in 0..<50 where !assigned {
            let mine = try await harness.request("GET", "/api/v1/agent/sessions", token: agent.access)
            assigned = mine.text.contains(session)
            if !assigned { try await Task.sleep(for: .milliseconds(200)) }
        }
        #expect(assigned)
        let reply = try await harness.request(
            "POST", "/api/v1/agent/sessions/\(session)/messages", token: agent.access,
            json: .object(["client_message_id": "w1", "text": "您好，请问有什么可以帮您？"]))
        #expect(reply.status == 200, "\(reply.text)")

        // The feed has the session's events for this visitor, in seq order without gaps, the agent's reply among them.
        let events = try await Self.follow(harness, key: key, from: start) { events in
            events.contains { $0["event"]?.stringValue == "message.accepted" && $0["data"]?["sender"]?.stringValue == "agent" }
        }
        let seqs = events.filter { $0["session_id"]?.stringValue == session }.compactMap { $0["seq"]?.intValue }
        #expect(!seqs.isEmpty && seqs == Array(1...(seqs.last ?? 0)), "\(seqs)")
        #expect(events.allSatisfy { $0["data"]?["visitor_id"]?.stringValue == "u-7" && $0["data"]?["channel"]?.stringValue == "shopapp" })
        #expect(events.contains { $0["event"]?.stringValue == "session.assigned" })

        let state = try await harness.request("GET", "/api/v1/channels/shopapp/visitors/u-7/session", token: key)
        #expect(state.status == 200 && state.text.contains(session), "\(state.text)")
        let stored = try await harness.eventually {
            let page = try await harness.request("GET", "/api/v1/channels/shopapp/visitors/u-7/history?session_id=\(session)", token: key)
            return page.status == 200 && page.text.contains("您好，请问有什么可以帮您？") && page.text.contains("你好")
        }
        #expect(stored)
        let other = try await harness.request("GET", "/api/v1/channels/shopapp/visitors/u-8/history?session_id=\(session)", token: key)
        #expect(other.status == 403 || other.status == 404, "\(other.status) \(other.text)")
    }
    @Test func aWaitingFeedDoesNotHoldAGracefulShutdown() async throws {
        let harness = try await GatewayHarness()
        defer { Task { await harness.shutdown() } }
        let admin = try await harness.login().access
        let key = try await Self.createChannel(harness, "shopapp", admin: admin)
        let port = harness.instances[0].port
        let sse = try SSEReader(port: port, path: "/api/v1/channels/shopapp/events", headers: ["Authorization": "Bearer \(key)"])
        defer { sse.close() }
        _ = try sse.readIDs(count: 1, timeout: .milliseconds(500))
        #expect(sse.headerText.contains("200"), "\(sse.headerText)")
        let poll = Task { try? await harness.request("GET", "/api/v1/channels/shopapp/events?timeout=60", token: key) }
        try await Task.sleep(for: .milliseconds(500))
        let clock = ContinuousClock.now
        harness.instances[0].process.send(SIGTERM)
        let status = await harness.instances[0].process.waitForExit(timeout: .seconds(20))
        #expect(status != nil, "the gateway did not exit")
        #expect(ContinuousClock.now - clock < .seconds(10), "shutdown took \(ContinuousClock.now - clock)")
        _ = await poll.value
    }
}

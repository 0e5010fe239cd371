import Foundation
import KefuModel
import Testing

@testable import GatewayService

/// Signed visitor identities: an HS256 JWS from the website's backend marks who the visitor is and their priority.
@Suite(.serialized)
struct VisitorIdentityTests {
    static let secret = "kefu-identity-test-secret-0123456789abcdef"
    /// Signed by Python's `hmac` (not by this repository's code): `{"sub":"shop-user-42","exp":1900000000,
    /// "name":"王先生","priority":7,"attributes":{"tier":"gold"}}`.
    static let pythonSigned =
        "eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiJzaG9wLXVzZXItNDIiLCJleHAiOjE5MDAwMDAwMDAsIm5hbWUiOiLnjovlhYjnlJ8iLCJwcmlvcml0eSI6NywiYXR0cmlidXRlcyI6eyJ0aWVyIjoiZ29sZCJ9fQ.rE3N_3vH0sIIDgO6F4ivQFtgqlPcDeCgZ2m0bl7gyS8"

    /// A JWS over `claims` with header `{"alg": alg}`, signed with `key`.
    static func sign(_ claims: JSONValue, alg: String = "HS256", key: String = secret) throws -> String {
        let header = Crypto.base64URL(Array(try JSONEncoder().encode(JSONValue.object(["alg": .string(alg), "typ": "JWT"]))))
        let body = Crypto.base64URL(Array(try JSONEncoder().encode(claims)))
        let signature = Crypto.hmacSHA256(key: Array(key.utf8), message: Array("\(header).\(body)".utf8))
        return "\(header).\(body).\(Crypto.base64URL(signature))"
    }

    private func code(_ text: String, secret: String? = Self.secret, now: Int64) -> String? {
        do {
            _ = try VisitorIdentity.verify(text, secret: secret.map { Array($0.utf8) }, now: now)
            return nil
        } catch {
            return error.code
        }
    }

    @Test func aTokenSignedElsewhereIsRead() throws {
        let identity = try VisitorIdentity.verify(Self.pythonSigned, secret: Array(Self.secret.utf8), now: 1_899_990_000)
        #expect(identity.visitorID == "u_shop-user-42")
        #expect(identity.priority == 7)
        #expect(identity.attributes == ["name": "王先生", "tier": "gold"])
    }

    @Test func everyFlawIsRefusedWithItsCode() throws {
        let now: Int64 = 1_800_000_000
        let good: [String: JSONValue] = ["sub": "u1", "exp": .integer(now + 600)]
        func with(_ change: [String: JSONValue]) -> JSONValue { .object(good.merging(change) { _, new in new }) }
        #expect(code(try Self.sign(.object(good)), now: now) == nil)
        #expect(code(try Self.sign(.object(good)), secret: nil, now: now) == "identity_not_configured")
        #expect(code(try Self.sign(.object(good), key: "another-secret-of-enough-length-0123456789"), now: now) == "invalid_identity")
        #expect(code(try Self.sign(.object(good), alg: "none"), now: now) == "invalid_identity")
        #expect(code(try Self.sign(.object(good), alg: "HS512"), now: now) == "invalid_identity")
        let unsigned = try Self.sign(.object(good)).split(separator: ".").prefix(2).joined(separator: ".") + "."
        #expect(code(unsigned, now: now) == "invalid_identity")
        #expect(code("not-a-jws", now: now) == "invalid_identity")
        #expect(code(try Self.sign(with(["exp": .integer(now - 1)])), now: now) == "identity_expired")
        #expect(code(try Self.sign(with(["exp": .integer(now + 90_000)])), now: now) == "invalid_identity")
        #expect(code(try Self.sign(.object(["sub": "u1"])), now: now) == "invalid_identity")
        #expect(code(try Self.sign(with(["sub": "has space"])), now: now) == "invalid_identity")
        #expect(code(try Self.sign(with(["sub": ""])), now: now) == "invalid_identity")
        #expect(code(try Self.sign(with(["priority": 10])), now: now) == "invalid_priority")
        #expect(code(try Self.sign(with(["priority": -1])), now: now) == "invalid_priority")
        #expect(code(try Self.sign(with(["priority": "high"])), now: now) == "invalid_identity")
        #expect(code(try Self.sign(with(["name": .string(String(repeating: "名", count: 2_000))])), now: now) == "invalid_identity")
    }

    @Test func anIdentifiedVisitorKeepsTheirIdAndPriorityAcrossDevices() async throws {
        let harness = try await GatewayHarness(["KEFU_VISITOR_IDENTITY_SECRET": Self.secret])
        defer { Task { await harness.shutdown() } }
        harness.responder.answer { request in
            if request.type == "visitor.request_human" { return .success(.object(["session_id": "3f2c8a4e-6b1d-4c8e-9a7f-2d5e8b1c4a90", "state": "queued"])) }
            return await VisitorAPITests.standardAnswers(request)
        }
        let now = Int64(Date().timeIntervalSince1970)
        let identity = try Self.sign(.object([
            "sub": "shop-user-42", "exp": .integer(now + 600), "name": "王先生", "priority": 7,
        ]))
        let started = try await harness.request("POST", "/api/v1/visitor/sessions", json: .object([
            "channel": "web-pc", "identity": .string(identity), "attributes": .object(["name": "冒充的名字", "page_url": "https://shop.example.com/"]),
        ]))
        #expect(started.status == 201, "\(started.text)")
        #expect(started.json?["visitor_id"]?.stringValue == "u_shop-user-42")
        #expect(started.json?["attributes"]?["name"]?.stringValue == "王先生")
        let token = try #require(started.json?["token"]?.stringValue)
        let sent = try await harness.request("POST", "/api/v1/visitor/messages", token: token, json: .object(["client_message_id": "m-1", "text": "你好"]))
        #expect(sent.status == 200, "\(sent.text)")
        let button = try await harness.request("POST", "/api/v1/visitor/request-human", token: token, json: .object([:]))
        #expect(button.status == 200, "\(button.text)")

        let otherDevice = try await harness.request("POST", "/api/v1/visitor/sessions", json: .object([
            "channel": "web-pc", "identity": .string(identity),
        ]))
        #expect(otherDevice.status == 201)
        #expect(otherDevice.json?["visitor_id"]?.stringValue == "u_shop-user-42")
        let resumed = try await harness.request("POST", "/api/v1/visitor/sessions", token: token, json: .object(["channel": "web-pc"]))
        #expect(resumed.status == 200)
        #expect(resumed.json?["visitor_id"]?.stringValue == "u_shop-user-42")

        let anonymous = try await harness.visitor()
        let plain = try await harness.request("POST", "/api/v1/visitor/messages", token: anonymous.token, json: .object(["client_message_id": "m-2", "text": "在吗"]))
        #expect(plain.status == 200)

        try await Task.sleep(for: .milliseconds(300))
        let inbound = try await harness.entries("inbound").filter { $0["type"]?.stringValue == "visitor.message" }
        let identified = inbound.first { $0["data"]?["visitor_id"]?.stringValue == "u_shop-user-42" }
        #expect(identified?["data"]?["priority"] == .integer(7))
        #expect(identified?["data"]?["attributes"]?["name"]?.stringValue == "王先生")
        let request = try await harness.entries("inbound").first { $0["type"]?.stringValue == "visitor.request_human" }
        #expect(request?["data"]?["priority"] == .integer(7) && request?["data"]?["visitor_id"]?.stringValue == "u_shop-user-42")
        let other = inbound.first { $0["data"]?["visitor_id"]?.stringValue == anonymous.visitorID }
        #expect(other != nil)
        #expect(other?["data"]?["priority"] == nil)

        let forged = try Self.sign(.object(["sub": "shop-user-42", "exp": .integer(now + 600), "priority": 9]), key: "guessed-secret-guessed-secret-guessed-secret")
        let refused = try await harness.request("POST", "/api/v1/visitor/sessions", json: .object(["channel": "web-pc", "identity": .string(forged)]))
        #expect(refused.status == 401)
        #expect(refused.errorCode == "invalid_identity")
        #expect(refused.json?["error"]?["message"]?.stringValue?.isEmpty == false)
    }

    @Test func withoutASecretIdentitiesAreRefused() async throws {
        let harness = try await GatewayHarness()
        defer { Task { await harness.shutdown() } }
        harness.responder.answer(VisitorAPITests.standardAnswers)
        let identity = try Self.sign(.object(["sub": "u1", "exp": .integer(Int64(Date().timeIntervalSince1970) + 600)]))
        let refused = try await harness.request("POST", "/api/v1/visitor/sessions", json: .object(["channel": "web-pc", "identity": .string(identity)]))
        #expect(refused.status == 400)
        #expect(refused.errorCode == "identity_not_configured")
    }

    /// The claims example and the Python signer that docs/integrations.md shows.
    @Test func theDocumentedExampleAndSignerAreAccepted() throws {
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        let markdown = try String(contentsOf: root.appendingPathComponent("docs/integrations.md"), encoding: .utf8)
        let section = try #require(markdown.components(separatedBy: "## Signed visitor identity").dropFirst().first)
        func block(_ language: String) throws -> String {
            let start = try #require(section.range(of: "```\(language)\n"))
            let end = try #require(section.range(of: "\n```", range: start.upperBound..<section.endIndex))
            return String(section[start.upperBound..<end.lowerBound])
        }
        let claims = try JSONDecoder().decode(JSONValue.self, from: Data(try block("json").utf8))
        let example = try VisitorIdentity.verify(try Self.sign(claims), secret: Array(Self.secret.utf8), now: 1_924_990_000)
        #expect(example.visitorID == "u_shop-user-42")
        #expect(example.priority == 7)

        let script = try block("python") + "\nprint(kefu_identity(b'\(Self.secret)', 'doc-user-7', '文档', 5))\n"
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["python3", "-c", script]
        let output = Pipe()
        process.standardOutput = output
        try process.run()
        process.waitUntilExit()
        #expect(process.terminationStatus == 0)
        let token = String(decoding: output.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
        let signed = try VisitorIdentity.verify(token, secret: Array(Self.secret.utf8))
        #expect(signed.visitorID == "u_doc-user-7")
        #expect(signed.priority == 5)
        #expect(signed.attributes["name"] == "文档")
    }
}

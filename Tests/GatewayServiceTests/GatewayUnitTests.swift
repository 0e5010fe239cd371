import Foundation
import KefuModel
import ServiceRuntime
import Testing
@testable import GatewayService

/// The gateway's pure parts: signatures, tokens, sniffing, the event buffer, status mapping, configuration.
@Suite struct GatewayUnitTests {
    static func hex(_ text: String) -> [UInt8] {
        stride(from: 0, to: text.count, by: 2).map {
            let start = text.index(text.startIndex, offsetBy: $0)
            return UInt8(text[start..<text.index(start, offsetBy: 2)], radix: 16)!
        }
    }

    @Test func hmacMatchesRFC4231() {
        // Test cases 1 and 6 of RFC 4231 (the second has a key longer than the block size).
        #expect(Crypto.hmacSHA256(key: [UInt8](repeating: 0x0b, count: 20), message: Array("Hi There".utf8))
            == Self.hex("b0344c61d8db38535ca8afceaf0bf12b881dc200c9833da726e9376c2e32cff7"))
        #expect(Crypto.hmacSHA256(
            key: [UInt8](repeating: 0xaa, count: 131),
            message: Array("Test Using Larger Than Block-Size Key - Hash Key First".utf8))
            == Self.hex("60e431591ee0b67f0d8a26aacbf5b77f8e0bc6213728c5140546040f0ee37f54"))
    }

    @Test func visitorTokensRejectTamperingExpiryAndOtherSecrets() {
        let secret = Array("s".utf8) + Crypto.randomBytes(40)
        let token = VisitorToken(channel: "web-h5", visitorID: "v_1", expiresAt: 2_000_000_000)
        let signed = token.signed(secret: secret)
        #expect(VisitorToken.verify(signed, secret: secret, now: 1_900_000_000) == token)
        #expect(VisitorToken.verify(signed, secret: secret, now: 2_000_000_001) == nil)
        #expect(VisitorToken.verify(signed, secret: Crypto.randomBytes(40), now: 1_900_000_000) == nil)
        let forgedPayload = VisitorToken(channel: "web-h5", visitorID: "v_2", expiresAt: 2_000_000_000).signed(secret: Crypto.randomBytes(40))
        let parts = signed.split(separator: ".")
        let spliced = "v1.\(forgedPayload.split(separator: ".")[1]).\(parts[2])"
        #expect(VisitorToken.verify(spliced, secret: secret, now: 1_900_000_000) == nil)
        for garbage in ["", "v1", "v1..", "v2.a.b", "v1.!!!.???", String(repeating: "x", count: 300)] {
            #expect(VisitorToken.verify(garbage, secret: secret, now: 0) == nil)
        }
        #expect(VisitorToken.newVisitorID() != VisitorToken.newVisitorID())
    }

    @Test func imageHeadersAreDecodedNotJustSniffed() throws {
        #expect(try ImageHeader.decode(VisitorAPITests.png) == ImageHeader(mimeType: .png, width: 2, height: 3))
        let gif: [UInt8] = [
            0x47, 0x49, 0x46, 0x38, 0x39, 0x61, 0x01, 0x00, 0x01, 0x00, 0x80, 0x00, 0x00, 0xFF, 0xFF, 0xFF, 0x00, 0x00, 0x00,
            0x21, 0xF9, 0x04, 0x01, 0x00, 0x00, 0x00, 0x00, 0x2C, 0x00, 0x00, 0x00, 0x00, 0x01, 0x00, 0x01, 0x00, 0x00, 0x02,
            0x02, 0x44, 0x01, 0x00, 0x3B,
        ]
        #expect(try ImageHeader.decode(gif) == ImageHeader(mimeType: .gif, width: 1, height: 1))
        let jpeg: [UInt8] = [
            0xFF, 0xD8, 0xFF, 0xE0, 0x00, 0x04, 0x4A, 0x46, 0xFF, 0xC0, 0x00, 0x11, 0x08, 0x00, 0x02, 0x00, 0x03, 0x03, 0x01,
            0x22, 0x00, 0x02, 0x11, 0x01, 0x03, 0x11, 0x01, 0xFF, 0xD9,
        ]
        #expect(try ImageHeader.decode(jpeg) == ImageHeader(mimeType: .jpeg, width: 3, height: 2))
        var webp: [UInt8] = Array("RIFF".utf8) + [22, 0, 0, 0] + Array("WEBPVP8L".utf8) + [10, 0, 0, 0, 0x2F]
        webp += [0x04, 0x40, 0x00, 0x00] + Array(repeating: 0, count: 5)
        #expect(try ImageHeader.decode(webp) == ImageHeader(mimeType: .webp, width: 5, height: 2))

        #expect(throws: ImageHeader.Problem.damaged(.png)) { try ImageHeader.decode(Array(VisitorAPITests.png.prefix(8)) + Array(repeating: 7, count: 64)) }
        #expect(throws: ImageHeader.Problem.damaged(.gif)) { try ImageHeader.decode(Array("GIF89a...".utf8)) }
        #expect(throws: ImageHeader.Problem.damaged(.jpeg)) { try ImageHeader.decode([0xFF, 0xD8, 0xFF, 0xE0, 0x00, 0x02]) }
        #expect(throws: ImageHeader.Problem.damaged(.webp)) { try ImageHeader.decode(Array("RIFF\0\0\0\0WEBPVP8 ".utf8)) }
        var wide = gif
        wide[6] = 0xFF
        wide[7] = 0xFF
        #expect(throws: ImageHeader.Problem.tooLarge(width: 65535, height: 1)) { try ImageHeader.decode(wide) }
        #expect(throws: ImageHeader.Problem.unknownType) { try ImageHeader.decode(Array("RIFF\0\0\0\0WAVEfmt ".utf8)) }
        #expect(throws: ImageHeader.Problem.unknownType) { try ImageHeader.decode(Array("<svg xmlns=".utf8)) }
        #expect(throws: ImageHeader.Problem.unknownType) { try ImageHeader.decode([]) }
    }

    @Test func webSocketAcceptFollowsRFC6455() {
        #expect(WebSocketUpgrade.accept("dGhlIHNhbXBsZSBub25jZQ==") == "s3pPLMBiTxaQ9kYGzzhZRbK+xOo=")
        #expect(Crypto.hex(SHA1.digest(Array("abc".utf8))) == "a9993e364706816aba3e25717850c26c9cd0d89d")
    }

    @Test func requestTargetsWithNULOrBadUTF8AreRefused() {
        #expect(RequestTarget.problem(path: "/chat/index.html%00.js", query: nil)?.code == "invalid_path")
        #expect(RequestTarget.problem(path: "/a%0Ab", query: nil)?.code == "invalid_path")
        #expect(RequestTarget.problem(path: "/a%ZZ", query: nil)?.code == "invalid_path")
        #expect(RequestTarget.problem(path: "/api/v1/agent/queue", query: "q=%FF")?.code == "invalid_query")
        #expect(RequestTarget.problem(path: "/api/v1/agent/queue", query: "q=a%00b")?.code == "invalid_query")
        #expect(RequestTarget.problem(path: "/chat/%E4%BD%A0", query: "q=%E4%BD%A0+x&b=1") == nil)
    }

    @Test func refusalCodesMapToTheDocumentedStatuses() {
        let expected: [(String, Int)] = [
            ("invalid_params", 400), ("invalid_settings", 400), ("rating_out_of_range", 400), ("transfer_to_self", 400),
            ("forbidden", 403), ("unknown_session", 404), ("unknown_image", 404), ("unknown_query", 404),
            ("session_not_active", 409), ("agent_full", 409), ("rating_repeated", 409), ("version_conflict", 409),
            ("already_claimed", 409), ("no_service", 409), ("payload_too_large", 413), ("something_else", 502),
            ("category_deleted", 409), ("category_too_deep", 400), ("duplicate_category_name", 409), ("unknown_category", 404),
        ]
        for (code, status) in expected { #expect(APIError.status(forCode: code).code == status, "\(code)") }
    }

    static func event(_ session: String, _ seq: Int) -> LiveEvent {
        LiveEvent.make(
            type: "message.accepted", time: nil,
            data: .object(["session_id": .string(session), "seq": .integer(Int64(seq)), "channel": "web-pc", "visitor_id": "v"]))!
    }

    @Test func theEventBufferKeepsTheNewestAndKnowsWhetherItCoversAResume() {
        let buffer = EventBuffer(capacity: 5)
        for seq in 1...4 { buffer.append(Self.event("a", seq)) }
        for seq in 1...3 { buffer.append(Self.event("b", seq)) }
        buffer.append(Self.event("a", 4))
        let a = buffer.events(session: "a", after: 2)
        #expect(a.events.compactMap(\.seq) == [3, 4])
        #expect(a.complete)
        let early = buffer.events(session: "a", after: 0)
        #expect(early.events.compactMap(\.seq) == [3, 4])
        #expect(!early.complete, "seq 1 and 2 were evicted")
        #expect(buffer.events(session: "b", after: 0).complete)
        #expect(!buffer.events(session: "c", after: 0).complete)
    }

    @Test func resumePointsAndOriginHosts() {
        let session = "3f2c8a4e-6b1d-4c8e-9a7f-2d5e8b1c4a90"
        #expect(Gateway.resumePoints("\(session.uppercased()):7,bad:1,\(session):x") == [session: 7])
        #expect(Gateway.resumePoints(nil).isEmpty)
        #expect(Gateway.hostOnly("Shop.Example.com:8443") == "shop.example.com")
        #expect(Gateway.hostOnly("[::1]:8080") == "[::1]")
    }

    @Test func configurationNamesTheBadVariable() throws {
        func error(_ environment: [String: String]) -> String? {
            do {
                _ = try GatewayConfiguration(reader: ConfigReader(environment: environment))
                return nil
            } catch {
                return "\(error)"
            }
        }
        let secret = ["KEFU_GATEWAY_SECRET": String(repeating: "k", count: 32)]
        #expect(error([:])?.contains("KEFU_GATEWAY_SECRET is not set") == true)
        #expect(error(["KEFU_GATEWAY_SECRET": "short"])?.contains("at least 32 bytes") == true)
        #expect(error(secret.merging(["KEFU_CORS_ORIGINS": "shop.example.com"]) { $1 })?.contains("KEFU_CORS_ORIGINS") == true)
        #expect(error(secret.merging(["KEFU_CHANNELS": "Bad Channel"]) { $1 })?.contains("KEFU_CHANNELS") == true)
        #expect(error(secret.merging(["KEFU_BOOTSTRAP_ADMIN_USERNAME": "root"]) { $1 })?.contains("KEFU_BOOTSTRAP_ADMIN_PASSWORD") == true)
        #expect(error(secret.merging(["KEFU_HEARTBEAT_TTL_S": "5"]) { $1 })?.contains("KEFU_HEARTBEAT_TTL_S") == true)
        let configuration = try GatewayConfiguration(reader: ConfigReader(environment: secret.merging([
            "KEFU_CORS_ORIGINS": "https://a.example, http://localhost:3000", "KEFU_CHANNELS": "app-ios",
        ]) { $1 }))
        #expect(configuration.corsOrigins == ["https://a.example", "http://localhost:3000"])
        #expect(configuration.channels == ["web-pc", "web-h5", "app-ios"])
        #expect(!"\(configuration)".contains("kkkk"), "the secret must not be printed")
    }
}

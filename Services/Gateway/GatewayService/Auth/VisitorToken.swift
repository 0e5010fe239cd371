import Foundation
import KefuModel

/// A visitor's signed token: `v1.<payload>.<signature>`, where the payload is base64url JSON
/// `{"c": channel, "v": visitor_id, "e": expiry (Unix seconds), "p": priority (from a signed identity, optional)}` and the signature is HMAC-SHA256 over
/// `v1.<payload>` with `KEFU_GATEWAY_SECRET`. Stateless: any gateway instance with the same secret accepts it.
struct VisitorToken: Sendable, Equatable {
    /// The visitor's channel.
    var channel: String
    /// The visitor's id within the channel.
    var visitorID: String
    /// When the token stops being accepted (Unix seconds).
    var expiresAt: Int64
    /// The priority a signed identity gave the visitor (0–9), sent with each of their messages.
    var priority: Int? = nil

    private struct Payload: Codable {
        var c: String
        var v: String
        var e: Int64
        var p: Int?
    }

    /// A fresh visitor id: `v_` and 32 hex digits.
    static func newVisitorID() -> String {
        "v_" + Crypto.hex(Crypto.randomBytes(16))
    }

    /// The signed token text.
    func signed(secret: [UInt8]) -> String {
        let payload = Payload(c: channel, v: visitorID, e: expiresAt, p: priority)
        let encoder = JSONEncoder()
        encoder.outputFormatting = .sortedKeys
        let json = (try? encoder.encode(payload)).map(Array.init) ?? []
        let body = "v1." + Crypto.base64URL(json)
        return body + "." + Crypto.base64URL(Crypto.hmacSHA256(key: secret, message: Array(body.utf8)))
    }

    /// Verifies `text` and returns the token, or nil when malformed, forged or expired.
    static func verify(_ text: String, secret: [UInt8], now: Int64 = Int64(Date().timeIntervalSince1970)) -> VisitorToken? {
        let parts = text.split(separator: ".", omittingEmptySubsequences: false)
        guard parts.count == 3, parts[0] == "v1", let signature = Crypto.fromBase64URL(parts[2]) else { return nil }
        let body = Array("v1.\(parts[1])".utf8)
        guard Crypto.constantTimeEqual(signature, Crypto.hmacSHA256(key: secret, message: body)),
              let json = Crypto.fromBase64URL(parts[1]),
              let payload = try? JSONDecoder().decode(Payload.self, from: Data(json)),
              payload.e > now,
              (try? FieldRules.channel(payload.c)) != nil,
              (try? FieldRules.token(payload.v, field: "visitor_id")) != nil,
              payload.p.map({ (0...9).contains($0) }) ?? true
        else { return nil }
        return VisitorToken(channel: payload.c, visitorID: payload.v, expiresAt: payload.e, priority: payload.p)
    }
}

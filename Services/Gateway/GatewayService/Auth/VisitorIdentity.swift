import Foundation
import KefuModel

/// A visitor identity signed by the website's backend: a compact JWS (JWT) with `alg` `HS256`, signed with
/// `KEFU_VISITOR_IDENTITY_SECRET`. Claims: `sub` (the site's user id, required), `exp` (Unix seconds,
/// required, at most ``maxLifetime`` ahead), and optionally `name`, `priority` (0–9: VIP visitors are served
/// first within their queue) and `attributes` (string → string). The widget passes it as `identity` when it
/// starts a session (`data-identity` on the `<script>` tag, `identity` in the H5 page's URL).
///
/// An identified visitor's id is `u_` + `sub`, the same on every device, so their open session and history
/// follow them; anonymous ids start with `v_`.
struct VisitorIdentity: Sendable, Equatable {
    /// The site's user id (`sub`).
    var subject: String
    /// `priority`, if given.
    var priority: Int?
    /// `name`, if given.
    var name: String?
    /// `attributes`, if given.
    var attributes: [String: String]
    /// `exp`.
    var expiresAt: Int64

    /// Longest accepted lifetime: a leaked identity should not be usable for long.
    static let maxLifetime: Int64 = 86_400

    /// The visitor id an identity gives: `u_` and the subject.
    var visitorID: String { "u_" + subject }

    private struct Header: Decodable {
        var alg: String
        var typ: String?
    }

    private struct Claims: Decodable {
        var sub: String?
        var exp: Int64?
        var name: String?
        var priority: Int?
        var attributes: [String: String]?
    }

    /// Verifies `text` against `secret` and reads its claims; every refusal names what is wrong.
    static func verify(_ text: String, secret: [UInt8]?, now: Int64 = Int64(Date().timeIntervalSince1970)) throws(APIError) -> VisitorIdentity {
        guard let secret else {
            throw .badRequest("identity_not_configured", "this deployment does not accept signed identities (KEFU_VISITOR_IDENTITY_SECRET is not set)")
        }
        let parts = text.split(separator: ".", omittingEmptySubsequences: false)
        guard parts.count == 3, let headerJSON = Crypto.fromBase64URL(parts[0]), let claimsJSON = Crypto.fromBase64URL(parts[1]),
              let signature = Crypto.fromBase64URL(parts[2])
        else { throw invalid("must be a compact JWS: three base64url parts joined by dots") }
        guard let header = try? JSONDecoder().decode(Header.self, from: Data(headerJSON)) else {
            throw invalid("the JWS header is not a JSON object with `alg`")
        }
        guard header.alg == "HS256" else { throw invalid("`alg` must be HS256, not \(header.alg.prefix(20))") }
        let signed = Array("\(parts[0]).\(parts[1])".utf8)
        guard Crypto.constantTimeEqual(signature, Crypto.hmacSHA256(key: secret, message: signed)) else {
            throw invalid("the signature does not match KEFU_VISITOR_IDENTITY_SECRET")
        }
        guard let claims = try? JSONDecoder().decode(Claims.self, from: Data(claimsJSON)) else {
            throw invalid("the claims are not a JSON object of the documented types")
        }
        guard let subject = claims.sub, !subject.isEmpty, subject.unicodeScalars.count <= FieldRules.maxTokenLength - 2,
              (try? FieldRules.token("u_" + subject, field: "sub")) != nil
        else { throw invalid("`sub` must be 1-\(FieldRules.maxTokenLength - 2) printable ASCII characters without spaces") }
        guard let expiry = claims.exp else { throw invalid("`exp` (Unix seconds) is required") }
        guard expiry > now else { throw APIError(.unauthorized, "identity_expired", "the identity expired; sign a new one") }
        guard expiry <= now + maxLifetime else {
            throw invalid("`exp` must be at most \(maxLifetime) seconds ahead")
        }
        if let priority = claims.priority, !(0...9).contains(priority) {
            throw .badRequest("invalid_priority", "`priority` must be 0-9")
        }
        var attributes = claims.attributes ?? [:]
        if let name = claims.name { attributes["name"] = name }
        let checked = attributes
        do {
            try FieldRules.attributes(checked)
        } catch {
            throw invalid("`name` or `attributes`: \(DeadLetter.reason(for: error))")
        }
        return VisitorIdentity(subject: subject, priority: claims.priority, name: claims.name, attributes: attributes, expiresAt: expiry)
    }

    private static func invalid(_ message: String) -> APIError {
        APIError(.unauthorized, "invalid_identity", message)
    }
}

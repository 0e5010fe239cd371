import Foundation

/// Standard Webhooks signatures: `v1,<base64 HMAC-SHA256 of "<webhook-id>.<webhook-timestamp>.<body>">` under
/// the secret's bytes (`whsec_<base64>`), one signature per valid secret, separated by spaces.
enum WebhookSigner {
    /// A fresh secret: `whsec_` and the base64 of 24 random bytes.
    static func newSecret() -> String {
        "whsec_" + Data(Crypto.randomBytes(24)).base64EncodedString()
    }

    /// The HMAC key of a secret: the bytes its base64 part decodes to.
    static func key(of secret: String) -> [UInt8] {
        let encoded = secret.hasPrefix("whsec_") ? String(secret.dropFirst(6)) : secret
        return Data(base64Encoded: encoded).map(Array.init) ?? Array(encoded.utf8)
    }

    /// The `webhook-signature` header value for `body` under each of `secrets`.
    static func signature(id: String, timestamp: Int64, body: [UInt8], secrets: [String]) -> String {
        let content = Array("\(id).\(timestamp).".utf8) + body
        return secrets.map { secret in
            "v1," + Data(Crypto.hmacSHA256(key: key(of: secret), message: content)).base64EncodedString()
        }.joined(separator: " ")
    }
}

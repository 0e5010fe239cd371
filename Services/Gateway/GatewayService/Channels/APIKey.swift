import Foundation
import Postgres

/// An API channel key: `kefu_ck_` and 32 random bytes in base64url (43 characters). Only its SHA-256 is
/// stored; the first characters (`prefix`) are kept in clear so that admins can tell keys apart.
enum APIKey {
    /// What every key starts with.
    static let scheme = "kefu_ck_"
    /// Characters of the random part kept in clear as the display prefix.
    static let shownCharacters = 6

    /// A new secret key.
    static func generate() -> String { scheme + Crypto.base64URL(Crypto.randomBytes(32)) }

    /// The SHA-256 of `key`, as stored.
    static func digest(_ key: String) -> [UInt8] { SHA256.digest(Array(key.utf8)) }

    /// The non-secret display prefix of `key`, e.g. `kefu_ck_Ab3xY_`.
    static func prefix(of key: String) -> String { String(key.prefix(scheme.count + shownCharacters)) }

    /// Whether `text` has the shape of a key (cheap check before any database lookup).
    static func looksValid(_ text: String) -> Bool {
        guard text.hasPrefix(scheme), text.utf8.count == scheme.utf8.count + 43 else { return false }
        return Crypto.fromBase64URL(text.dropFirst(scheme.count))?.count == 32
    }
}

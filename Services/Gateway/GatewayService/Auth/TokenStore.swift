import Foundation
import KefuModel
import Postgres

/// Opaque staff tokens kept as SHA-256 digests in `gateway.tokens`.
///
/// A login creates a family with an access token (`kfa_…`, ~1 h) and a refresh token (`kfr_…`, ~30 days).
/// Refreshing revokes the presented refresh token and issues a new pair in the same family; presenting a
/// revoked refresh token again revokes the whole family (it was copied). Logout revokes the family.
struct TokenStore: Sendable {
    let postgres: PostgresClient
    let accessTTL: Int
    let refreshTTL: Int

    /// A freshly issued pair.
    struct Pair: Encodable, Sendable {
        var accessToken: String
        var refreshToken: String
        var expiresIn: Int
        var tokenType = "Bearer"

        enum CodingKeys: String, CodingKey {
            case accessToken = "access_token"
            case refreshToken = "refresh_token"
            case expiresIn = "expires_in"
            case tokenType = "token_type"
        }
    }

    static func digest(_ token: String) -> [UInt8] { SHA256.digest(Array(token.utf8)) }

    static func newToken(prefix: String) -> String { prefix + Crypto.base64URL(Crypto.randomBytes(32)) }

    /// Issues a pair in a new family for `account`.
    func issue(account: UUID) async throws -> Pair {
        try await postgres.transaction { connection in try insertPair(account: account, family: UUID(), on: connection) }
    }

    private func insertPair(account: UUID, family: UUID, on connection: PostgresConnection) throws -> Pair {
        let access = Self.newToken(prefix: "kfa_")
        let refresh = Self.newToken(prefix: "kfr_")
        try connection.execute(
            """
            INSERT INTO gateway.tokens (token_hash, account_id, family, kind, expires_at) VALUES
              ($1, $3, $4, 'access', now() + make_interval(secs => $5)),
              ($2, $3, $4, 'refresh', now() + make_interval(secs => $6))
            """,
            [Self.digest(access), Self.digest(refresh), account, family, accessTTL, refreshTTL])
        return Pair(accessToken: access, refreshToken: refresh, expiresIn: accessTTL)
    }

    /// The staff member holding a valid access token, or nil.
    func authenticate(access token: String) async throws -> StaffIdentity? {
        guard token.hasPrefix("kfa_"), token.utf8.count < 200 else { return nil }
        let rows = try await postgres.query(
            """
            SELECT a.id, a.role, a.display_name, t.family FROM gateway.tokens t JOIN gateway.accounts a ON a.id = t.account_id
            WHERE t.token_hash = $1 AND t.kind = 'access' AND t.revoked_at IS NULL AND t.expires_at > now() AND NOT a.disabled
            """,
            [Self.digest(token)])
        guard let row = rows.first else { return nil }
        return StaffIdentity(
            agentID: AgentID(try row.decode(UUID.self, at: 0)),
            role: StaffRole(rawValue: try row.decode(String.self, at: 1)) ?? .agent,
            name: try row.decode(String.self, at: 2),
            family: try row.decode(UUID.self, at: 3))
    }

    /// Rotates a refresh token; nil when it is unknown, expired, revoked (the family is then revoked) or
    /// the account is disabled.
    func refresh(_ token: String) async throws -> Pair? {
        guard token.hasPrefix("kfr_"), token.utf8.count < 200 else { return nil }
        let digest = Self.digest(token)
        return try await postgres.transaction { connection -> Pair? in
            let rows = try connection.query(
                """
                SELECT t.account_id, t.family, t.revoked_at IS NULL, t.expires_at > now(), NOT a.disabled
                FROM gateway.tokens t JOIN gateway.accounts a ON a.id = t.account_id
                WHERE t.token_hash = $1 AND t.kind = 'refresh' FOR UPDATE OF t
                """,
                [digest])
            guard let row = rows.first else { return nil }
            let account = try row.decode(UUID.self, at: 0)
            let family = try row.decode(UUID.self, at: 1)
            guard try row.decode(Bool.self, at: 2) else {
                try connection.execute(
                    "UPDATE gateway.tokens SET revoked_at = now() WHERE family = $1 AND revoked_at IS NULL", [family])
                return nil
            }
            guard try row.decode(Bool.self, at: 3), try row.decode(Bool.self, at: 4) else { return nil }
            try connection.execute("UPDATE gateway.tokens SET revoked_at = now() WHERE token_hash = $1", [digest])
            try connection.execute(
                "UPDATE gateway.tokens SET revoked_at = now() WHERE family = $1 AND kind = 'access' AND revoked_at IS NULL",
                [family])
            return try insertPair(account: account, family: family, on: connection)
        }
    }

    /// Revokes every token of a login family.
    func revoke(family: UUID) async throws {
        try await postgres.execute("UPDATE gateway.tokens SET revoked_at = now() WHERE family = $1 AND revoked_at IS NULL", [family])
    }

    /// Revokes every token of an account (disabled, password reset), inside a transaction.
    static func revokeAll(account: UUID, on connection: PostgresConnection) throws {
        try connection.execute(
            "UPDATE gateway.tokens SET revoked_at = now() WHERE account_id = $1 AND revoked_at IS NULL", [account])
    }

    /// Deletes tokens that expired more than a day ago.
    func purgeExpired() async throws -> Int {
        try await postgres.execute("DELETE FROM gateway.tokens WHERE expires_at < now() - interval '1 day'")
    }
}

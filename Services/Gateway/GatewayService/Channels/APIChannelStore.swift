import Foundation
import KefuModel
import Postgres

/// An API channel as the admin API shows it.
struct APIChannelRecord: Encodable, Sendable {
    var name: String
    var displayName: String
    var createdAt: String
    var activeKeys: Int

    enum CodingKeys: String, CodingKey {
        case name
        case displayName = "display_name"
        case createdAt = "created_at"
        case activeKeys = "active_keys"
    }
}

/// An API key as the admin API shows it: never the key itself, only its prefix.
struct APIKeyRecord: Encodable, Sendable {
    var id: UUID
    var channel: String
    var prefix: String
    var label: String
    var createdAt: String
    /// When the key stops (stopped) being accepted; in the future during a rotation's grace period.
    var revokedAt: String?
    /// `active`, `expiring` (revoked at a future time) or `revoked`.
    var status: String

    enum CodingKeys: String, CodingKey {
        case id, channel, prefix, label, status
        case createdAt = "created_at"
        case revokedAt = "revoked_at"
    }
}

/// A newly issued key: the record and the secret, shown this once.
struct IssuedAPIKey: Encodable, Sendable {
    var record: APIKeyRecord
    var key: String

    func encode(to encoder: any Encoder) throws {
        try record.encode(to: encoder)
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(key, forKey: .key)
    }

    enum CodingKeys: String, CodingKey { case key }
}

/// The channel an API key belongs to, from a valid key.
struct APIKeyIdentity: Sendable {
    var keyID: UUID
    var channel: String
}

/// API channels and their keys in `gateway.api_channels` and `gateway.api_keys`.
struct APIChannelStore: Sendable {
    let postgres: PostgresClient

    private static let keyColumns = """
        id, channel, prefix, label, created_at, revoked_at,
        CASE WHEN revoked_at IS NULL THEN 'active' WHEN revoked_at > now() THEN 'expiring' ELSE 'revoked' END
        """

    /// Every API channel with its count of usable keys, by name.
    func channels() async throws -> [APIChannelRecord] {
        let rows = try await postgres.query(
            """
            SELECT c.name, c.display_name, c.created_at,
                   (SELECT count(*) FROM gateway.api_keys k
                    WHERE k.channel = c.name AND (k.revoked_at IS NULL OR k.revoked_at > now()))::int
            FROM gateway.api_channels c ORDER BY c.name
            """)
        return try rows.map { row in
            APIChannelRecord(
                name: try row.decode(String.self, at: 0), displayName: try row.decode(String.self, at: 1),
                createdAt: Self.rfc3339(try row.decode(Date.self, at: 2)), activeKeys: try row.decode(Int.self, at: 3))
        }
    }

    /// One channel, or 404 `unknown_channel`.
    func channel(_ name: String) async throws -> APIChannelRecord {
        guard let found = try await channels().first(where: { $0.name == name }) else { throw Self.unknown(name) }
        return found
    }

    /// Whether `name` is an API channel.
    func exists(_ name: String) async throws -> Bool {
        try await !postgres.query("SELECT 1 FROM gateway.api_channels WHERE name = $1", [name]).isEmpty
    }

    /// Creates a channel and its first key in one transaction; 409 `channel_exists` when the name is taken.
    func create(name: String, displayName: String, label: String, by admin: AgentID) async throws -> (APIChannelRecord, IssuedAPIKey) {
        do {
            let issued = try await postgres.transaction { connection -> IssuedAPIKey in
                try connection.execute(
                    "INSERT INTO gateway.api_channels (name, display_name, created_by) VALUES ($1, $2, $3)",
                    [name, displayName, admin.uuid])
                return try insertKey(channel: name, label: label, by: admin, on: connection)
            }
            return (try await channel(name), issued)
        } catch PostgresError.uniqueViolation {
            throw APIError.conflict("channel_exists", "the API channel \(name) already exists")
        }
    }

    /// Renames a channel for display.
    func rename(_ name: String, displayName: String) async throws -> APIChannelRecord {
        let changed = try await postgres.execute(
            "UPDATE gateway.api_channels SET display_name = $2 WHERE name = $1", [name, displayName])
        guard changed == 1 else { throw Self.unknown(name) }
        return try await channel(name)
    }

    /// The keys of a channel, newest first (404 for an unknown channel).
    func keys(of channel: String) async throws -> [APIKeyRecord] {
        guard try await exists(channel) else { throw Self.unknown(channel) }
        let rows = try await postgres.query(
            "SELECT \(Self.keyColumns) FROM gateway.api_keys WHERE channel = $1 ORDER BY created_at DESC, id", [channel])
        return try rows.map(Self.keyRecord)
    }

    /// Issues another key for `channel`.
    func issue(channel: String, label: String, by admin: AgentID) async throws -> IssuedAPIKey {
        guard try await exists(channel) else { throw Self.unknown(channel) }
        return try await postgres.transaction { connection in try insertKey(channel: channel, label: label, by: admin, on: connection) }
    }

    /// Revokes a key now (a key already revoked keeps its time); 404 when the channel has no such key.
    func revoke(channel: String, keyID: UUID) async throws -> APIKeyRecord {
        let rows = try await postgres.query(
            """
            UPDATE gateway.api_keys SET revoked_at = LEAST(coalesce(revoked_at, now()), now())
            WHERE channel = $1 AND id = $2 RETURNING \(Self.keyColumns)
            """, [channel, keyID])
        guard let row = rows.first else { throw APIError.notFound("unknown_key", "the channel \(channel) has no key \(keyID)") }
        return try Self.keyRecord(row)
    }

    /// Issues a new key and revokes `keyID` after `graceSeconds` (0: at once), in one transaction; 404 when
    /// the channel has no such key, 409 `key_revoked` when it is already revoked.
    func rotate(channel: String, keyID: UUID, graceSeconds: Int, label: String?, by admin: AgentID) async throws -> (IssuedAPIKey, APIKeyRecord) {
        try await postgres.transaction { connection -> (IssuedAPIKey, APIKeyRecord) in
            let current = try connection.query(
                "SELECT label, revoked_at IS NULL FROM gateway.api_keys WHERE channel = $1 AND id = $2 FOR UPDATE", [channel, keyID])
            guard let row = current.first else { throw APIError.notFound("unknown_key", "the channel \(channel) has no key \(keyID)") }
            guard try row.decode(Bool.self, at: 1) else { throw APIError.conflict("key_revoked", "the key \(keyID) is already revoked") }
            let issued = try insertKey(channel: channel, label: label ?? row.decode(String.self, at: 0), by: admin, on: connection)
            let old = try connection.query(
                """
                UPDATE gateway.api_keys SET revoked_at = now() + make_interval(secs => $3)
                WHERE channel = $1 AND id = $2 RETURNING \(Self.keyColumns)
                """, [channel, keyID, graceSeconds])
            guard let revoked = old.first else { throw APIError.notFound("unknown_key", "the channel \(channel) has no key \(keyID)") }
            return (issued, try Self.keyRecord(revoked))
        }
    }

    /// The channel of a usable key, or nil for an unknown, malformed or revoked one.
    func authenticate(_ key: String) async throws -> APIKeyIdentity? {
        guard APIKey.looksValid(key) else { return nil }
        let rows = try await postgres.query(
            """
            SELECT id, channel FROM gateway.api_keys
            WHERE key_hash = $1 AND (revoked_at IS NULL OR revoked_at > now())
            """, [APIKey.digest(key)])
        guard let row = rows.first else { return nil }
        return APIKeyIdentity(keyID: try row.decode(UUID.self, at: 0), channel: try row.decode(String.self, at: 1))
    }

    private func insertKey(channel: String, label: String, by admin: AgentID, on connection: PostgresConnection) throws -> IssuedAPIKey {
        let key = APIKey.generate()
        let rows = try connection.query(
            """
            INSERT INTO gateway.api_keys (id, channel, key_hash, prefix, label, created_by) VALUES ($1, $2, $3, $4, $5, $6)
            RETURNING \(Self.keyColumns)
            """, [UUID(), channel, APIKey.digest(key), APIKey.prefix(of: key), label, admin.uuid])
        guard let row = rows.first else { throw APIError(.internalServerError, "internal_error", "the key was not stored") }
        return IssuedAPIKey(record: try Self.keyRecord(row), key: key)
    }

    private static func keyRecord(_ row: PostgresRow) throws -> APIKeyRecord {
        APIKeyRecord(
            id: try row.decode(UUID.self, at: 0), channel: try row.decode(String.self, at: 1), prefix: try row.decode(String.self, at: 2),
            label: try row.decode(String.self, at: 3), createdAt: rfc3339(try row.decode(Date.self, at: 4)),
            revokedAt: try row.decode(Date?.self, at: 5).map(rfc3339), status: try row.decode(String.self, at: 6))
    }

    static func unknown(_ name: String) -> APIError {
        APIError.notFound("unknown_channel", "there is no API channel \(name)")
    }

    static func rfc3339(_ date: Date) -> String {
        Timestamp(millisecondsSince1970: Int64((date.timeIntervalSince1970 * 1000).rounded())).rfc3339
    }
}

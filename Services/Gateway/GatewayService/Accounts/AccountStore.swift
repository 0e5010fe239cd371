import Foundation
import KefuModel
import Postgres
import ServiceRuntime

/// An agent or admin account as the API shows it (never the password hash).
struct Account: Codable, Sendable, Equatable {
    var agentID: AgentID
    var username: String
    var displayName: String
    var role: StaffRole
    var capacity: Int
    var disabled: Bool
    var createdAt: String
    var updatedAt: String

    enum CodingKeys: String, CodingKey {
        case username, role, capacity, disabled
        case agentID = "agent_id"
        case displayName = "display_name"
        case createdAt = "created_at"
        case updatedAt = "updated_at"
    }
}

/// What an admin may change on an account; absent fields stay as they are.
struct AccountChanges: Decodable, Sendable {
    var displayName: String?
    var role: StaffRole?
    var capacity: Int?
    var disabled: Bool?
    var password: String?

    enum CodingKeys: String, CodingKey {
        case role, capacity, disabled, password
        case displayName = "display_name"
    }
}

/// A new account.
struct NewAccount: Decodable, Sendable {
    var username: String
    var displayName: String
    var role: StaffRole
    var password: String
    var capacity: Int?

    enum CodingKeys: String, CodingKey {
        case username, role, password, capacity
        case displayName = "display_name"
    }
}

/// The `gateway.accounts` table. Every create or change publishes `admin.upsert_agent` through the outbox
/// in the same transaction, so routing always learns the current name, capacity and enabled flag. With a
/// `publisher` (the running gateway) the entry is published right after the commit; without one (the CLI)
/// the gateway's relay publishes it.
struct AccountStore: Sendable {
    let postgres: PostgresClient
    let hasher: PasswordHasher
    let outbox: Outbox
    let commandsStream: String
    let source: String
    var publisher: OutboxPublisher? = nil

    /// Runs `body` in a transaction and publishes what it enqueued right after the commit when it can.
    private func transaction<T: Sendable>(_ body: @escaping @Sendable (PostgresConnection) throws -> T) async throws -> T {
        guard let publisher else { return try await postgres.transaction(body) }
        return try await publisher.transaction(body)
    }

    static let defaultCapacity = 5
    static let columns = """
        id, username, display_name, role, capacity, disabled,
        to_char(created_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"'),
        to_char(updated_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')
        """

    static func account(_ row: PostgresRow) throws -> Account {
        Account(
            agentID: AgentID(try row.decode(UUID.self, at: 0)), username: try row.decode(String.self, at: 1),
            displayName: try row.decode(String.self, at: 2),
            role: StaffRole(rawValue: try row.decode(String.self, at: 3)) ?? .agent,
            capacity: try row.decode(Int.self, at: 4), disabled: try row.decode(Bool.self, at: 5),
            createdAt: try row.decode(String.self, at: 6), updatedAt: try row.decode(String.self, at: 7))
    }

    static func validateUsername(_ username: String) throws {
        let allowed = username.unicodeScalars.allSatisfy {
            $0.isASCII && (CharacterSet.alphanumerics.contains($0) || "._@-".unicodeScalars.contains($0))
        }
        guard (1...64).contains(username.count), allowed else {
            throw APIError.badRequest("invalid_username", "a username is 1-64 letters, digits, '.', '_', '@' or '-'")
        }
    }

    static func validate(displayName: String?, capacity: Int?) throws {
        if let displayName {
            do {
                try FieldRules.text(displayName, field: "display_name", maxLength: FieldRules.maxNameLength)
            } catch {
                throw APIError.badRequest("invalid_display_name", "\(error)")
            }
        }
        if let capacity, !(0...50).contains(capacity) {
            throw APIError.badRequest("invalid_capacity", "capacity (自动接入人数) must be between 0 and 50, got \(capacity)")
        }
    }

    /// All accounts, by username.
    func list() async throws -> [Account] {
        try await postgres.query("SELECT \(Self.columns) FROM gateway.accounts ORDER BY lower(username)").map(Self.account)
    }

    /// One account.
    func get(_ id: UUID) async throws -> Account? {
        try await postgres.query("SELECT \(Self.columns) FROM gateway.accounts WHERE id = $1", [id]).first.map(Self.account)
    }

    /// The account and password hash for a login name.
    func credentials(username: String) async throws -> (account: Account, hash: String)? {
        let rows = try await postgres.query(
            "SELECT \(Self.columns), password_hash FROM gateway.accounts WHERE lower(username) = lower($1)", [username])
        guard let row = rows.first else { return nil }
        return (try Self.account(row), try row.decode(String.self, at: 8))
    }

    /// Creates an account; 409 `username_taken` when the name exists.
    func create(_ new: NewAccount, by actor: AgentID?) async throws -> Account {
        try Self.validateUsername(new.username)
        try Self.validate(displayName: new.displayName, capacity: new.capacity)
        try PasswordHasher.validate(new.password)
        let hash = try await hasher.hash(new.password)
        let id = UUID()
        let capacity = new.capacity ?? Self.defaultCapacity
        do {
            return try await transaction { [self] connection in
                let rows = try connection.query(
                    """
                    INSERT INTO gateway.accounts (id, username, display_name, role, password_hash, capacity)
                    VALUES ($1, $2, $3, $4, $5, $6) RETURNING \(Self.columns)
                    """,
                    [id, new.username, new.displayName, new.role.rawValue, hash, capacity])
                let account = try Self.account(rows.rows[0])
                try publish(account, by: actor ?? AgentID(id), on: connection)
                return account
            }
        } catch PostgresError.uniqueViolation {
            throw APIError.conflict("username_taken", "the username \(new.username) is already used")
        }
    }

    /// Applies `changes`; a password change or a disable revokes the account's tokens.
    func update(_ id: UUID, _ changes: AccountChanges, by actor: AgentID) async throws -> Account {
        try Self.validate(displayName: changes.displayName, capacity: changes.capacity)
        var hash: String?
        if let password = changes.password {
            try PasswordHasher.validate(password)
            hash = try await hasher.hash(password)
        }
        let newHash = hash
        let account = try await transaction { [self] connection -> Account? in
            let rows = try connection.query(
                """
                UPDATE gateway.accounts SET
                  display_name = COALESCE($2, display_name), role = COALESCE($3, role), capacity = COALESCE($4, capacity),
                  disabled = COALESCE($5, disabled), password_hash = COALESCE($6, password_hash), updated_at = now()
                WHERE id = $1 RETURNING \(Self.columns)
                """,
                [id, changes.displayName, changes.role?.rawValue, changes.capacity, changes.disabled, newHash])
            guard let row = rows.first else { return nil }
            let account = try Self.account(row)
            if newHash != nil || account.disabled { try TokenStore.revokeAll(account: id, on: connection) }
            try publish(account, by: actor, on: connection)
            return account
        }
        guard let account else { throw APIError.notFound("unknown_agent", "no account \(id.uuidString.lowercased())") }
        return account
    }

    /// Creates the bootstrap admin unless an account with that username exists; true when created.
    func bootstrapAdmin(username: String, password: String) async throws -> Bool {
        if try await credentials(username: username) != nil { return false }
        do {
            _ = try await create(
                NewAccount(username: username, displayName: "管理员", role: .admin, password: password, capacity: 0), by: nil)
            return true
        } catch let error as APIError where error.code == "username_taken" {
            return false
        }
    }

    private func publish(_ account: Account, by actor: AgentID, on connection: PostgresConnection) throws {
        let payload = AdminUpsertAgent(
            actorID: actor, agentID: account.agentID, name: account.displayName, capacity: account.capacity,
            enabled: !account.disabled)
        try outbox.enqueue(EventEnvelope(source: source, data: payload), to: commandsStream, on: connection)
    }
}

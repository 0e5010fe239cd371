import Foundation
import Logging

/// Applies ordered SQL migrations to one schema, once each, safely from several instances at once.
///
/// `migrate` takes the session advisory lock `pg_advisory_lock(hashtext('kefu.migrate.' || schema))`
/// on one connection, so concurrent instances run one after another; creates the schema and
/// `<schema>.schema_migrations` if needed; refuses to continue if an applied migration's SQL has
/// changed (checksum mismatch); then applies each pending migration in version order, each in its own
/// transaction with `SET LOCAL search_path TO <schema>`, recording it in the same transaction.
public struct Migrator: Sendable {
    /// Target schema; must match `[a-z_][a-z0-9_]*`.
    public let schema: String
    /// Migrations, in any order; applied by ascending version.
    public let migrations: [Migration]

    /// Creates a migrator. The schema name and versions are validated by ``migrate(using:logger:)``.
    public init(schema: String, migrations: [Migration]) {
        self.schema = schema
        self.migrations = migrations
    }

    /// Applies pending migrations and returns the versions applied by this call (empty if none).
    ///
    /// - Throws: `.invalidMigration` for a bad schema name or duplicate versions,
    ///   `.migrationChecksumMismatch` if applied SQL changed, `.migrationFailed` if a migration's SQL
    ///   failed (it is rolled back; earlier ones stay applied), or connection errors.
    @discardableResult
    public func migrate(using client: PostgresClient, logger: Logger) async throws -> [Int] {
        try validate()
        return try await client.withConnection { [self] connection in
            try run(on: connection, logger: logger)
        }
    }

    /// Checks the schema name and that versions are positive and unique.
    public func validate() throws(PostgresError) {
        guard Self.isIdentifier(schema) else {
            throw .invalidMigration(reason: "schema name '\(schema)' must match [a-z_][a-z0-9_]* (at most 63 characters)")
        }
        var seen = Set<Int>()
        for migration in migrations {
            guard migration.version > 0 else {
                throw .invalidMigration(reason: "migration '\(migration.name)' has version \(migration.version); versions must be positive")
            }
            guard seen.insert(migration.version).inserted else {
                throw .invalidMigration(reason: "version \(migration.version) appears more than once")
            }
        }
    }

    private func run(on connection: PostgresConnection, logger: Logger) throws -> [Int] {
        let lockKey = "kefu.migrate." + schema
        try connection.query("SELECT pg_advisory_lock(hashtext($1))", [lockKey])
        defer {
            _ = try? connection.query("SELECT pg_advisory_unlock(hashtext($1))", [lockKey])
        }
        try connection.simpleQuery(
            """
            CREATE SCHEMA IF NOT EXISTS \(schema);
            CREATE TABLE IF NOT EXISTS \(schema).schema_migrations (
                version int PRIMARY KEY,
                name text NOT NULL,
                checksum text NOT NULL,
                applied_at timestamptz NOT NULL DEFAULT now()
            );
            """)
        let applied = try appliedChecksums(on: connection)
        for migration in migrations {
            if let checksum = applied[migration.version], checksum != migration.checksum {
                throw PostgresError.migrationChecksumMismatch(version: migration.version, name: migration.name)
            }
        }
        let known = Set(migrations.map(\.version))
        for version in applied.keys.sorted() where !known.contains(version) {
            logger.warning(
                "Database has a migration this build does not know",
                metadata: ["db.schema": "\(schema)", "migration.version": "\(version)"])
        }
        var newlyApplied: [Int] = []
        for migration in migrations.sorted(by: { $0.version < $1.version }) where applied[migration.version] == nil {
            try apply(migration, on: connection)
            logger.info(
                "Applied migration",
                metadata: [
                    "db.schema": "\(schema)", "migration.version": "\(migration.version)",
                    "migration.name": "\(migration.name)",
                ])
            newlyApplied.append(migration.version)
        }
        return newlyApplied
    }

    private func appliedChecksums(on connection: PostgresConnection) throws(PostgresError) -> [Int: String] {
        let rows = try connection.query("SELECT version, checksum FROM \(schema).schema_migrations")
        var result: [Int: String] = [:]
        for row in rows {
            result[try row.decode(Int.self, at: 0)] = try row.decode(String.self, at: 1)
        }
        return result
    }

    private func apply(_ migration: Migration, on connection: PostgresConnection) throws {
        do {
            try connection.runTransaction(isolation: .readCommitted) { connection in
                try connection.simpleQuery("SET LOCAL search_path TO \(schema)")
                try connection.simpleQuery(migration.sql)
                try connection.execute(
                    "INSERT INTO \(schema).schema_migrations (version, name, checksum) VALUES ($1, $2, $3)",
                    [migration.version, migration.name, migration.checksum])
            }
        } catch let error as PostgresError {
            if error == .connectionLost {
                throw error
            }
            throw PostgresError.migrationFailed(version: migration.version, name: migration.name, underlying: error)
        }
    }

    static func isIdentifier(_ name: String) -> Bool {
        guard let first = name.utf8.first, name.utf8.count <= 63,
            first == UInt8(ascii: "_") || (UInt8(ascii: "a")...UInt8(ascii: "z")).contains(first)
        else { return false }
        return name.utf8.allSatisfy { byte in
            byte == UInt8(ascii: "_") || (UInt8(ascii: "a")...UInt8(ascii: "z")).contains(byte)
                || (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte)
        }
    }
}

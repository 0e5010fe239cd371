/// One schema migration: a version, a name and the SQL that applies it.
public struct Migration: Sendable, Equatable {
    /// Ordering key; positive and unique within a migrator.
    public var version: Int
    /// Human-readable name (from the file name `0001_<name>.sql`).
    public var name: String
    /// SQL run in one transaction; may hold several statements. It must not contain BEGIN/COMMIT or
    /// statements that cannot run in a transaction (e.g. CREATE INDEX CONCURRENTLY).
    public var sql: String

    /// Creates a migration.
    public init(version: Int, name: String, sql: String) {
        self.version = version
        self.name = name
        self.sql = sql
    }

    /// SHA-256 of the SQL's UTF-8 bytes as hex, recorded when the migration is applied.
    public var checksum: String {
        SHA256.hex(sql.utf8)
    }
}

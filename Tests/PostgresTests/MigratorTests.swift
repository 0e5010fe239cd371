import Foundation
import Postgres
import TestSupport
import Testing

extension IntegrationTests {
    @Suite("Migrator")
    struct MigratorTests {
        static let migrations = [
            Migration(version: 1, name: "create_tickets", sql: """
                CREATE TABLE tickets (id bigserial PRIMARY KEY, subject text NOT NULL);
                CREATE INDEX tickets_subject_idx ON tickets (subject);
                """),
            Migration(version: 2, name: "add_status", sql: """
                ALTER TABLE tickets ADD COLUMN status text NOT NULL DEFAULT 'open';
                INSERT INTO tickets (subject) VALUES ('welcome');
                """),
        ]

        @Test func appliesOnceAndIsIdempotent() async throws {
            try await withTestClient { client in
                let migrator = Migrator(schema: "support", migrations: Self.migrations)
                #expect(try await migrator.migrate(using: client, logger: testLogger) == [1, 2])
                #expect(try await migrator.migrate(using: client, logger: testLogger) == [])
                let rows = try await client.query("SELECT version, name, checksum FROM support.schema_migrations ORDER BY version")
                #expect(try rows.map { try $0.decode(Int.self, "version") } == [1, 2])
                #expect(try rows[0].decode(String.self, "checksum") == Self.migrations[0].checksum)
                let tickets = try await client.query("SELECT subject, status FROM support.tickets")
                #expect(tickets.count == 1)
                #expect(try tickets[0].decode(String.self, "status") == "open")
                let publicTables = try await client.query(
                    "SELECT count(*)::int FROM information_schema.tables WHERE table_schema = 'public'")
                #expect(try publicTables[0].decode(Int.self, at: 0) == 0)

                let extended = Migrator(schema: "support", migrations: Self.migrations + [
                    Migration(version: 3, name: "add_priority", sql: "ALTER TABLE tickets ADD COLUMN priority int;")
                ])
                #expect(try await extended.migrate(using: client, logger: testLogger) == [3])
            }
        }

        @Test func concurrentMigratorsSerializeOnTheAdvisoryLock() async throws {
            let server = try await PostgresTestServer.shared()
            let url = try await server.makeDatabase()
            let configuration = try PostgresConfiguration(url: url)
            let slow = Self.migrations + [
                Migration(version: 3, name: "slow", sql: "SELECT pg_sleep(0.3); CREATE TABLE audit (id int);")
            ]
            let migrator = Migrator(schema: "support", migrations: slow)
            try await withClient(configuration) { first in
                try await withClient(configuration) { second in
                    async let a = migrator.migrate(using: first, logger: testLogger)
                    async let b = migrator.migrate(using: second, logger: testLogger)
                    let (appliedA, appliedB) = try await (a, b)
                    #expect((appliedA + appliedB).sorted() == [1, 2, 3])
                    #expect(appliedA.isEmpty || appliedB.isEmpty)
                    let count = try await first.query("SELECT count(*)::int FROM support.schema_migrations")
                    #expect(try count[0].decode(Int.self, at: 0) == 3)
                    let tickets = try await first.query("SELECT count(*)::int FROM support.tickets")
                    #expect(try tickets[0].decode(Int.self, at: 0) == 1)
                }
            }
        }

        @Test func refusesChangedMigrations() async throws {
            try await withTestClient { client in
                try await Migrator(schema: "support", migrations: Self.migrations).migrate(using: client, logger: testLogger)
                var changed = Self.migrations
                changed[0].sql += "\n-- edited after release"
                changed.append(Migration(version: 3, name: "later", sql: "CREATE TABLE later (id int);"))
                let error = await caught {
                    try await Migrator(schema: "support", migrations: changed).migrate(using: client, logger: testLogger)
                }
                #expect(error as? PostgresError == .migrationChecksumMismatch(version: 1, name: "create_tickets"))
                let later = try await client.query("SELECT to_regclass('support.later') IS NULL AS missing")
                #expect(try later[0].decode(Bool.self, "missing"))
            }
        }

        @Test func failedMigrationRollsBackAndStops() async throws {
            try await withTestClient { client in
                let broken = Self.migrations + [
                    Migration(version: 3, name: "broken", sql: "CREATE TABLE half (id int); SELEC oops;"),
                    Migration(version: 4, name: "after", sql: "CREATE TABLE after_broken (id int);"),
                ]
                let error = await caught {
                    try await Migrator(schema: "support", migrations: broken).migrate(using: client, logger: testLogger)
                }
                guard case .migrationFailed(3, "broken", .query("42601", _)) = error as? PostgresError else {
                    Issue.record("unexpected \(String(describing: error))")
                    return
                }
                let versions = try await client.query("SELECT version FROM support.schema_migrations ORDER BY version")
                #expect(try versions.map { try $0.decode(Int.self, at: 0) } == [1, 2])
                let half = try await client.query("SELECT to_regclass('support.half') IS NULL AS missing")
                #expect(try half[0].decode(Bool.self, "missing"))
                let locks = try await client.query("SELECT count(*)::int FROM pg_locks WHERE locktype = 'advisory'")
                #expect(try locks[0].decode(Int.self, at: 0) == 0)
            }
        }

        @Test func loadsAndAppliesFilesFromADirectory() async throws {
            let directory = FileManager.default.temporaryDirectory.appendingPathComponent("kefu-mig-\(UUID().uuidString)")
            try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
            defer { try? FileManager.default.removeItem(at: directory) }
            try "CREATE TABLE notes (id int PRIMARY KEY, body text);".write(
                to: directory.appendingPathComponent("0001_create_notes.sql"), atomically: true, encoding: .utf8)
            try "INSERT INTO notes VALUES (1, '你好');".write(
                to: directory.appendingPathComponent("0002_seed.sql"), atomically: true, encoding: .utf8)
            try await withTestClient { client in
                let migrations = try Migrator.load(directory: directory)
                let applied = try await Migrator(schema: "notes_svc", migrations: migrations).migrate(using: client, logger: testLogger)
                #expect(applied == [1, 2])
                let rows = try await client.query("SELECT body FROM notes_svc.notes")
                #expect(try rows[0].decode(String.self, at: 0) == "你好")
            }
        }

        @Test func rejectsInvalidSchemaBeforeConnecting() async throws {
            try await withTestClient { client in
                let error = await caught {
                    try await Migrator(schema: "public; DROP SCHEMA public", migrations: []).migrate(using: client, logger: testLogger)
                }
                guard case .invalidMigration = error as? PostgresError else {
                    Issue.record("unexpected \(String(describing: error))")
                    return
                }
            }
        }
    }
}

import Foundation
import Testing

@testable import Postgres

@Suite("Migration files")
struct MigrationFileTests {
    private func directory(with files: [String: String]) throws -> URL {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("kefu-migrations-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        for (name, content) in files {
            try content.write(to: url.appendingPathComponent(name), atomically: true, encoding: .utf8)
        }
        return url
    }

    @Test func loadsInVersionOrder() throws {
        let url = try directory(with: [
            "0010_later.sql": "SELECT 10;",
            "0002_second.sql": "SELECT 2;",
            "0001_create-users.sql": "SELECT 1;",
            "README.md": "ignored",
        ])
        defer { try? FileManager.default.removeItem(at: url) }
        let migrations = try Migrator.load(directory: url)
        #expect(migrations.map(\.version) == [1, 2, 10])
        #expect(migrations.map(\.name) == ["create-users", "second", "later"])
        #expect(migrations[0].sql == "SELECT 1;")
    }

    @Test(arguments: ["users.sql", "0001.sql", "x1_users.sql", "0000_zero.sql", "0003_bad name.sql", "0003_.sql"])
    func rejectsBadFileNames(fileName: String) throws {
        let url = try directory(with: ["0001_ok.sql": "SELECT 1;", fileName: "SELECT 1;"])
        defer { try? FileManager.default.removeItem(at: url) }
        #expect {
            try Migrator.load(directory: url)
        } throws: { error in
            guard case .invalidMigration(let reason) = error as? PostgresError else { return false }
            return reason.contains(fileName)
        }
    }

    @Test func rejectsDuplicateVersions() throws {
        let url = try directory(with: ["0001_a.sql": "SELECT 1;", "001_b.sql": "SELECT 2;"])
        defer { try? FileManager.default.removeItem(at: url) }
        #expect(throws: PostgresError.self) {
            try Migrator.load(directory: url)
        }
    }

    @Test func rejectsMissingDirectory() {
        #expect(throws: PostgresError.self) {
            try Migrator.load(directory: URL(fileURLWithPath: "/nonexistent/kefu-migrations"))
        }
    }

    @Test(arguments: ["Bad", "1abc", "a-b", "", "public; DROP", String(repeating: "a", count: 64)])
    func rejectsBadSchemaNames(schema: String) {
        #expect(throws: PostgresError.self) {
            try Migrator(schema: schema, migrations: []).validate()
        }
    }

    @Test func rejectsDuplicateVersionsInList() {
        let migrator = Migrator(schema: "ok_schema", migrations: [
            Migration(version: 1, name: "a", sql: ""), Migration(version: 1, name: "b", sql: ""),
        ])
        #expect(throws: PostgresError.self) {
            try migrator.validate()
        }
    }
}

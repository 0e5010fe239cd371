import Foundation
import Logging
import Postgres
import Testing
import TestSupport

/// `kefu admin create`: an account made by the gateway's own code, password from stdin, bcrypt-hashed,
/// routing told through the gateway's outbox; clear errors otherwise.
@Suite(.serialized)
struct KefuAdminCLITests {
    /// Runs `printf '%s\n' PASSWORD | kefu ARGS` through /bin/sh (`password` nil: nothing on stdin).
    static func create(_ arguments: [String], password: String?, database: String) async throws -> (status: Int32?, output: String) {
        let kefu = TestProcess.product("kefu").path
        let quoted = ([kefu] + arguments).map { "'" + $0.replacingOccurrences(of: "'", with: "'\\''") + "'" }.joined(separator: " ")
        let input = password.map { "printf '%s\\n' '\($0)'" } ?? "true"
        let process = try TestProcess(
            executable: URL(fileURLWithPath: "/bin/sh"), arguments: ["-c", "\(input) | \(quoted)"],
            environment: ["DATABASE_URL": database, "KEFU_STREAM_PREFIX": "clitest"])
        defer { process.terminate() }
        let status = await process.waitForExit(timeout: .seconds(120))
        return (status, process.output())
    }

    @Test func createsAHashedAccountAndTellsRoutingThroughTheOutbox() async throws {
        let database = try await PostgresTestServer.shared().makeDatabase()
        #expect(try await KefuCLI.run(["migrate", "--service", "gateway"], database: database).status == 0)
        let args = ["admin", "create", "--username", "ops", "--name", "运维", "--role", "admin", "--capacity", "2"]
        let made = try await Self.create(args, password: "correct horse battery", database: database)
        #expect(made.status == 0, "\(made.output)")
        #expect(made.output.contains("created admin 'ops'"), "\(made.output)")

        let client = try PostgresClient(url: database, logger: Logger(label: "test"))
        defer { Task { try? await client.shutdown() } }
        let row = try #require(try await client.query(
            "SELECT role, display_name, capacity, password_hash FROM gateway.accounts WHERE username = 'ops'").first)
        #expect(try row.decode(String.self, at: 0) == "admin")
        #expect(try row.decode(String.self, at: 1) == "运维")
        #expect(try row.decode(Int.self, at: 2) == 2)
        let hash = try row.decode(String.self, at: 3)
        #expect(hash.hasPrefix("$2"), "bcrypt hash, never the password")
        #expect(!hash.contains("correct horse"))
        let outbox = try await client.query("SELECT stream, convert_from(payload, 'UTF8') FROM gateway.outbox")
        #expect(outbox.count == 1)
        #expect(try outbox.first?.decode(String.self, at: 0) == "clitest:commands")
        #expect(try outbox.first?.decode(String.self, at: 1).contains("admin.upsert_agent") == true)

        let again = try await Self.create(args, password: "another password", database: database)
        #expect(again.status != 0)
        #expect(again.output.contains("already used"), "\(again.output)")
        let noPassword = try await Self.create(
            ["admin", "create", "--username", "ops2", "--name", "x"], password: nil, database: database)
        #expect(noPassword.status != 0)
        #expect(noPassword.output.contains("no password on standard input"), "\(noPassword.output)")
        let badRole = try await Self.create(
            ["admin", "create", "--username", "ops3", "--name", "x", "--role", "root"], password: "secret secret", database: database)
        #expect(badRole.output.contains("--role must be admin or agent"), "\(badRole.output)")
        #expect(try await client.query("SELECT count(*) FROM gateway.accounts").first?.decode(Int.self, at: 0) == 1)
    }
}

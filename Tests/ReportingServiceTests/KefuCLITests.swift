import Foundation
import Postgres
import ReportingService
import Testing
import TestSupport

/// Runs the `kefu` executable and collects its exit status and output.
enum KefuCLI {
    static func run(_ arguments: [String], database: String?, timeout: Duration = .seconds(120)) async throws -> (status: Int32?, output: String) {
        var environment: [String: String] = [:]
        environment["DATABASE_URL"] = database ?? ""
        let process = try TestProcess(executable: TestProcess.product("kefu"), arguments: arguments, environment: environment)
        defer { process.terminate() }
        let status = await process.waitForExit(timeout: timeout)
        return (status, process.output())
    }
}

/// The operator CLI: clear usage errors for bad input, migrations, rebuilds, and no partial file ever.
@Suite(.serialized)
struct KefuCLITests {
    static func folder() throws -> URL {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("kefu-cli-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        return folder
    }

    @Test(arguments: [
        (["export", "sessions", "--from", "2026-02-30", "--to", "2026-03-01"], "'--from' must be a calendar date"),
        (["export", "sessions", "--from", "2026-11-30", "--to", "2026-11-01"], "is after --to"),
        (["export", "sessions", "--from", "30/11/2026", "--to", "2026-12-01"], "'--from' must be a calendar date"),
        (["export", "invoices", "--from", "2026-11-01", "--to", "2026-11-30"], "unknown export 'invoices'"),
        (["export", "sessions", "--from", "2026-11-01", "--to", "2026-11-30", "--agent", "nobody"], "'--agent' must be a UUID"),
        (["export", "sessions", "--from", "2026-11-01", "--to", "2026-11-30", "--channel", "Web!"], "'--channel' must be a channel"),
        (["export", "sessions", "--from", "2026-11-01"], "Missing expected argument '--to"),
        (["stats", "rebuild", "--from", "2026-11-30", "--to", "2026-11-01"], "is after --to"),
        (["migrate", "--service", "billing"], "unknown service 'billing'"),
    ])
    func badArgumentsAreUsageErrorsAndWriteNothing(_ arguments: [String], _ message: String) async throws {
        let folder = try Self.folder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let out = folder.appendingPathComponent("out.csv").path
        let result = try await KefuCLI.run(arguments + (arguments.first == "export" ? ["--out", out] : []), database: "postgres://nobody@127.0.0.1:1/none")
        #expect(result.status == 64, "\(result.output)")
        #expect(result.output.contains(message), "\(result.output)")
        #expect(try FileManager.default.contentsOfDirectory(atPath: folder.path).isEmpty)
    }

    @Test func withoutADatabaseTheCommandSaysHowToGiveOne() async throws {
        let result = try await KefuCLI.run(["export", "daily", "--from", "2026-11-01", "--to", "2026-11-30", "--out", "/tmp/x.csv"], database: nil)
        #expect(result.status == 64)
        #expect(result.output.contains("DATABASE_URL"))
    }

    @Test func migratesRebuildsAndRefusesUnknownTimezonesChannelsAndAgents() async throws {
        let database = try await PostgresTestServer.shared().makeDatabase()
        let migrate = try await KefuCLI.run(["migrate"], database: database)
        #expect(migrate.status == 0, "\(migrate.output)")
        #expect(migrate.output.contains("reporting: applied 1, 2"), "\(migrate.output)")
        let again = try await KefuCLI.run(["migrate", "--service", "reporting"], database: database)
        #expect(again.output.contains("reporting: up to date"), "\(again.output)")

        let folder = try Self.folder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let out = folder.appendingPathComponent("out.csv").path
        let base = ["export", "sessions", "--from", "2026-11-01", "--to", "2026-11-30", "--out", out]
        for (extra, message) in [
            (["--tz", "Mars/Olympus"], "unknown timezone 'Mars/Olympus'"),
            (["--channel", "fax"], "no session was ever recorded on channel 'fax'"),
            (["--agent", UUID().uuidString], "no session was ever served by agent"),
        ] {
            let result = try await KefuCLI.run(base + extra, database: database)
            #expect(result.status == 64, "\(result.output)")
            #expect(result.output.contains(message), "\(result.output)")
        }
        #expect(try FileManager.default.contentsOfDirectory(atPath: folder.path).isEmpty)

        let empty = try await KefuCLI.run(base + ["--no-bom"], database: database)
        #expect(empty.status == 0, "\(empty.output)")
        #expect(try String(contentsOfFile: out, encoding: .utf8) == ExportSQL.header(.sessions).joined(separator: ",") + "\r\n")
        #expect(try FileManager.default.contentsOfDirectory(atPath: folder.path) == ["out.csv"])

        let rebuild = try await KefuCLI.run(["stats", "rebuild", "--from", "2026-11-01", "--to", "2026-11-30"], database: database)
        #expect(rebuild.status == 0, "\(rebuild.output)")
        #expect(rebuild.output.contains("rebuilt 30 days"), "\(rebuild.output)")
    }

    @Test func anInterruptedExportLeavesNoFile() async throws {
        let database = try await PostgresTestServer.shared().makeDatabase()
        #expect(try await KefuCLI.run(["migrate", "--service", "reporting"], database: database).status == 0)
        let postgres = PostgresClient(configuration: try PostgresConfiguration(url: database))
        try await SyntheticRecords.insert(count: 300_000, firstDay: try #require(LocalDate("2026-10-01")), days: 30, postgres: postgres)
        try await postgres.shutdown()

        let folder = try Self.folder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let out = folder.appendingPathComponent("sessions.csv").path
        let process = try TestProcess(
            executable: TestProcess.product("kefu"),
            arguments: ["export", "sessions", "--from", "2026-10-01", "--to", "2026-10-30", "--out", out],
            environment: ["DATABASE_URL": database])
        defer { process.terminate() }
        var sawPartial = false
        let deadline = ContinuousClock.now + .seconds(60)
        while ContinuousClock.now < deadline, !sawPartial {
            let names = (try? FileManager.default.contentsOfDirectory(atPath: folder.path)) ?? []
            if let partial = names.first(where: { $0.contains(".partial-") }),
               let size = try? FileManager.default.attributesOfItem(atPath: folder.appendingPathComponent(partial).path)[.size] as? Int,
               size > 0 {
                sawPartial = true
            }
            try await Task.sleep(for: .milliseconds(5))
        }
        #expect(sawPartial, "the export never started writing: \(process.output())")
        process.send(SIGINT)
        let status = await process.waitForExit(timeout: .seconds(20))
        #expect(status == 130, "\(process.output())")
        #expect(process.output().contains("interrupted; no file written"))
        #expect(try FileManager.default.contentsOfDirectory(atPath: folder.path).isEmpty)
    }
}

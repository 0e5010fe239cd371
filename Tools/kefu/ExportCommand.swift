import ArgumentParser
import Foundation
import Logging
import Postgres
import ReportingService

/// `kefu export sessions|daily|agents|categories --from --to …`: writes a CSV export to a file.
struct ExportCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "export",
        abstract: "Export session records or statistics as CSV (UTF-8, RFC 4180).",
        discussion: """
            Dates are local dates in --tz (default: the statistics timezone). The file is written to a temporary \
            file beside --out and renamed at the end, so an error or Ctrl-C leaves no partial file. Progress goes \
            to stderr when it is a terminal. Columns: docs/exports.md.
            """)

    @Argument(help: "What to export: sessions, daily, agents or categories (per session-summary category).")
    var kind: String

    @Option(help: "First date, YYYY-MM-DD.")
    var from: String

    @Option(help: "Last date (included), YYYY-MM-DD.")
    var to: String

    @Option(help: "IANA timezone of the dates and times, e.g. Asia/Shanghai (default: the statistics timezone).")
    var tz: String?

    @Option(help: "Only this channel (sessions, daily, categories).")
    var channel: String?

    @Option(help: "Only this agent's sessions (sessions) or rows (agents), as a UUID.")
    var agent: String?

    @Flag(name: .customLong("no-bom"), help: "Leave out the UTF-8 byte order mark (it is there by default for Excel).")
    var noBOM = false

    @Option(help: "Output file (default: the suggested name in the current folder; - for stdout).")
    var out: String?

    @OptionGroup var database: DatabaseOptions

    /// The checks that need no database: kind, dates, order, filters' syntax.
    func validate() throws {
        guard ExportKind(rawValue: kind) != nil else {
            throw ValidationError("unknown export '\(kind)': use sessions, daily, agents or categories")
        }
        _ = try parsedRange(timezone: "UTC")
        if let channel { _ = try mapped { try QueryParams.channel(channel, name: "--channel") } }
        if let agent { _ = try mapped { try QueryParams.uuid(agent, name: "--agent") } }
    }

    func run() async throws {
        let client = try PostgresClient(url: try database.url(), logger: Logger(label: "kefu.cli"))
        do {
            try await export(using: client)
            try await client.shutdown()
        } catch {
            try? await client.shutdown()
            throw error
        }
    }

    private func export(using client: PostgresClient) async throws {
        let kind = ExportKind(rawValue: kind) ?? .sessions
        let catalog = TimezoneCatalog()
        let (request, plan) = try await client.withConnection { [self] connection in
            let statsTimezone = try StatsTimezone.recorded(on: connection)
            let timezone = try mapped { try catalog.check(tz ?? statsTimezone ?? "Asia/Shanghai", on: connection) }
            let request = try mapped {
                try ExportRequest(
                    kind: kind, range: try parsedRange(timezone: timezone),
                    channel: try channel.map { try QueryParams.channel($0, name: "--channel") },
                    agentID: try agent.map { try QueryParams.uuid($0, name: "--agent") }, bom: !noBOM)
            }
            try mapped { try Filters.check(request, on: connection) }
            let plan = try ExportSQL.plan(request, statsTimezone: statsTimezone ?? "") { try connection.escapeLiteral($0) }
            return (request, plan)
        }
        let progress = Progress(enabled: isatty(STDERR_FILENO) == 1)
        if progress.enabled, kind == .sessions {
            progress.total = try await client.withConnection { connection in
                try connection.query("SELECT count(*) FROM (\(Self.selectPart(of: plan.copy))) x").first?.decode(Int.self, at: 0)
            }
        }
        let output = try OutputFile(path: out ?? request.filename)
        do {
            let outcome = try await ExportRunner.run(plan, bom: request.bom, postgres: client) { bytes, rows in
                try output.write(bytes)
                progress.update(rows: rows, bytes: output.bytesWritten)
            }
            try output.commit()
            progress.finish(rows: outcome.rows, bytes: outcome.bytes, path: output.displayPath)
        } catch {
            output.discard()
            progress.clear()
            throw CommandFailure("export failed, no file written: \(error)")
        }
    }

    /// The SELECT inside `COPY (…) TO STDOUT …`, for counting rows.
    static func selectPart(of copy: String) -> String {
        let start = copy.index(copy.startIndex, offsetBy: "COPY (".count)
        let end = copy.range(of: ") TO STDOUT", options: .backwards)?.lowerBound ?? copy.endIndex
        return String(copy[start..<end])
    }

    private func parsedRange(timezone: String) throws -> DateRange {
        try mapped {
            try DateRange(
                from: try QueryParams.date(from, name: "--from"), to: try QueryParams.date(to, name: "--to"), timezone: timezone)
        }
    }

    /// Turns a query refusal into a usage error with the same message.
    private func mapped<T>(_ body: () throws -> T) throws -> T {
        do {
            return try body()
        } catch let failure as QueryFailure {
            throw ValidationError(failure.message.replacingOccurrences(of: "'from'", with: "--from")
                .replacingOccurrences(of: "'to'", with: "--to"))
        }
    }
}

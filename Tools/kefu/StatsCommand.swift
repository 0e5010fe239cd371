import ArgumentParser
import Foundation
import Logging
import Postgres
import ReportingService

/// `kefu stats rebuild --from --to`: recomputes the statistics of a date range from the records.
struct StatsCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "stats", abstract: "Statistics maintenance.", subcommands: [Rebuild.self])

    struct Rebuild: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Rebuild the day × channel and day × agent statistics of [--from, --to] from the session records.",
            discussion: """
                Dates are days in the statistics timezone (KEFU_REPORTING_TZ of the running service, recorded in the \
                database). Event handling waits while the rebuild runs (one transaction).
                """)

        @Option(help: "First date, YYYY-MM-DD.")
        var from: String

        @Option(help: "Last date (included), YYYY-MM-DD.")
        var to: String

        @OptionGroup var database: DatabaseOptions

        func validate() throws {
            guard let start = LocalDate(from) else { throw ValidationError("--from must be a date YYYY-MM-DD, got '\(from)'") }
            guard let end = LocalDate(to) else { throw ValidationError("--to must be a date YYYY-MM-DD, got '\(to)'") }
            guard start <= end else { throw ValidationError("--from (\(from)) is after --to (\(to)); give the earlier date first") }
        }

        func run() async throws {
            guard let start = LocalDate(from), let end = LocalDate(to) else { return }
            var logger = Logger(label: "kefu.stats")
            logger.logLevel = .warning
            let client = try PostgresClient(url: try database.url(), logger: logger)
            do {
                let (days, timezone) = try await client.transaction { connection in
                    let timezone = try StatsTimezone.recorded(on: connection)
                        ?? ProcessInfo.processInfo.environment["KEFU_REPORTING_TZ"] ?? "Asia/Shanghai"
                    return (try StatsRebuild.run(from: start, to: end, timezone: timezone, on: connection), timezone)
                }
                print("rebuilt \(days) days (\(from) … \(to), \(timezone))")
                try await client.shutdown()
            } catch {
                try? await client.shutdown()
                throw CommandFailure("rebuilding statistics failed: \(error)")
            }
        }
    }
}

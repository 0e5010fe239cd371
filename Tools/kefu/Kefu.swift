import ArgumentParser
import Foundation

/// `kefu`: the operator's command line: CSV exports, migrations, statistics rebuilds.
///
/// Every command talks to PostgreSQL directly with `DATABASE_URL` (or `--database-url`), so it works
/// whether or not the services run; exports use the reporting service's own SQL and formatter, so the file
/// is byte for byte what the gateway download gives.
@main
struct Kefu: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "kefu",
        abstract: "Kefu operator tool: exports, migrations, statistics and staff accounts.",
        subcommands: [ExportCommand.self, MigrateCommand.self, StatsCommand.self, AdminCommand.self, KnowledgeEvalCommand.self])
}

/// The database connection options shared by every command.
struct DatabaseOptions: ParsableArguments {
    @Option(name: .customLong("database-url"), help: "PostgreSQL URL (default: $DATABASE_URL).")
    var databaseURL: String?

    /// The URL to use, or a usage error naming the variable.
    func url() throws -> String {
        if let databaseURL, !databaseURL.isEmpty { return databaseURL }
        if let value = ProcessInfo.processInfo.environment["DATABASE_URL"], !value.isEmpty { return value }
        throw ValidationError("no database: set DATABASE_URL or pass --database-url postgres://user:password@host:5432/kefu")
    }
}

/// A failure that ends the command with a one-line message and exit status 1.
struct CommandFailure: Error, CustomStringConvertible {
    let description: String

    init(_ description: String) {
        self.description = description
    }
}

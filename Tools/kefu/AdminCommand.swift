import ArgumentParser
import Foundation
import GatewayService
import KefuModel
import Logging
import Postgres

/// `kefu admin create`: creates an agent or admin account, the password read from standard input.
struct AdminCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "admin", abstract: "Staff accounts.", subcommands: [Create.self])

    struct Create: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Create an agent or admin account; the password is read from standard input (one line).",
            discussion: """
                Uses the gateway's own account code on its schema (run `kefu migrate` first on a new database): \
                bcrypt-hashed password, and routing learns the agent through the gateway's outbox once a gateway \
                runs. Example: printf '%s\\n' "$PASSWORD" | kefu admin create --username ops --name 运维 --role admin
                """)

        @Option(help: "Login name: 3-64 letters, digits, '.', '_' or '-'.")
        var username: String

        @Option(help: "Display name shown to visitors and colleagues.")
        var name: String

        @Option(help: "admin or agent.")
        var role: String = "admin"

        @Option(help: "自动接入人数 (auto-accept capacity), 0-50; default: the gateway's default.")
        var capacity: Int?

        @Option(name: .customLong("stream-prefix"), help: "Stream prefix of the deployment (default: $KEFU_STREAM_PREFIX or kefu).")
        var streamPrefix: String?

        @OptionGroup var database: DatabaseOptions

        func validate() throws {
            guard StaffRole(rawValue: role) != nil else { throw ValidationError("--role must be admin or agent, got '\(role)'") }
            if let capacity, !(0...50).contains(capacity) { throw ValidationError("--capacity must be between 0 and 50") }
        }

        func run() async throws {
            guard let staffRole = StaffRole(rawValue: role) else { return }
            guard let line = readLine(strippingNewline: true), !line.isEmpty else {
                throw ValidationError("no password on standard input: pipe one line, e.g. printf '%s\\n' \"$PASSWORD\" | kefu admin create …")
            }
            let prefix = streamPrefix ?? ProcessInfo.processInfo.environment["KEFU_STREAM_PREFIX"] ?? StreamNames.defaultPrefix
            let streams: StreamNames
            do {
                streams = try StreamNames(prefix: prefix)
            } catch {
                throw ValidationError("bad stream prefix '\(prefix)': \(error)")
            }
            var logger = Logger(label: "kefu.admin")
            logger.logLevel = .warning
            let client = try PostgresClient(url: try database.url(), logger: logger)
            do {
                let id = try await OperatorAccounts.create(
                    postgres: client, streams: streams, username: username, displayName: name, role: staffRole,
                    password: line, capacity: capacity)
                try await client.shutdown()
                print("created \(role) '\(username)' (agent id \(id))")
            } catch {
                try? await client.shutdown()
                throw CommandFailure("cannot create the account: \(error)")
            }
        }
    }
}

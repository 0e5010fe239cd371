import ArgumentParser
import GatewayService
import KnowledgeService
import Logging
import Postgres
import ReportingService
import RoutingService
import ServiceRuntime
import StoreService

/// `kefu migrate`: applies every service's migrations (or the named ones) as the services do at start.
struct MigrateCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "migrate",
        abstract: "Apply the database migrations of every service (or of --service NAME, repeatable).",
        discussion: "Safe to run while services run: each schema is migrated under its advisory lock, once.")

    @Option(name: .customLong("service"), help: "Only this service: gateway, routing, store, knowledge, reporting.")
    var only: [String] = []

    @OptionGroup var database: DatabaseOptions

    static func definitions() throws -> [ServiceDefinition] {
        // Only the migrations are used here: the gateway's definition needs its configuration, and a
        // placeholder secret is enough to build it (nothing is signed or served).
        let gateway = try GatewayConfiguration(reader: ConfigReader(environment: ["KEFU_GATEWAY_SECRET": String(repeating: "m", count: 32)]))
        return [
            GatewayService.definition(gateway), RoutingService.definition(), try StoreService.definition(),
            KnowledgeService.definition(), ReportingService.definition(),
        ]
    }

    static let names = ["gateway", "routing", "store", "knowledge", "reporting"]

    func validate() throws {
        let names = Set(Self.names)
        if let unknown = only.first(where: { !names.contains($0) }) {
            throw ValidationError("unknown service '\(unknown)': use \(names.sorted().joined(separator: ", "))")
        }
    }

    func run() async throws {
        var logger = Logger(label: "kefu.migrate")
        logger.logLevel = .warning
        let client = try PostgresClient(url: try database.url(), logger: logger)
        do {
            for definition in try Self.definitions() where only.isEmpty || only.contains(definition.name) {
                let migrator = Migrator(schema: definition.schema, migrations: try definition.allMigrations())
                do {
                    let applied = try await migrator.migrate(using: client, logger: logger)
                    print("\(definition.name): " + (applied.isEmpty ? "up to date" : "applied \(applied.map(String.init).joined(separator: ", "))"))
                } catch {
                    throw CommandFailure("migrating \(definition.name) failed: \(error)")
                }
            }
        } catch {
            try? await client.shutdown()
            throw error
        }
        try await client.shutdown()
    }
}

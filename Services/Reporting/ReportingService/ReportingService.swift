import Postgres
import KefuModel
import ServiceRuntime

/// The reporting service: conversation records, statistics and CSV exports. See `README.md` beside this folder.
public enum ReportingService {
    /// The service's short name, schema and default HTTP port.
    public static let name = "reporting"

    /// What the runtime needs to run this service, with `settings` (default: the defaults, for tests that
    /// only inspect the definition).
    public static func definition(settings: ReportingSettings = ReportingSettings()) -> ServiceDefinition {
        let exports = ExportCoordinator(limit: settings.maxExports)
        let queries = QueryHandler(settings: settings, exports: exports)
        return ServiceDefinition(
            name: name,
            defaultPort: 8084,
            migrations: Migration.bundled(name, in: .module),
            consumers: [
                .init(
                    stream: .events, unknownTypes: .acknowledge, handlers: EventHandlers.all(timezone: settings.statsTimezone),
                    finish: { connection in MessageBatch.flush(on: connection) }),
                .init(
                    stream: .requests, unknownTypes: .deadLetter, handlers: [.queryRequest: queries.apply],
                    afterCommit: { exports.committed() }),
            ],
            backgroundServices: { context in
                exports.bind(streamPrefix: context.streams.prefix)
                return [
                    ExportService(coordinator: exports, context: context, idleTimeout: settings.exportIdleTimeout),
                    StatsTimezoneGuard(timezone: settings.statsTimezone, context: context),
                ]
            })
    }
}

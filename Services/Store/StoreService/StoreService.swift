import Foundation
import Postgres
import ServiceRuntime

/// The store service: conversation history (every session event), session metadata and images.
/// See `README.md` beside this folder.
public enum StoreService {
    /// The service's short name, schema and default HTTP port.
    public static let name = "store"

    /// What the runtime needs to run this service, with `settings` (retention) and the migrations
    /// bundled in `Migrations/`.
    public static func definition(settings: StoreSettings = StoreSettings()) throws -> ServiceDefinition {
        ServiceDefinition(
            name: name,
            defaultPort: 8082,
            migrations: try migrations(),
            consumers: [
                .init(stream: .events, unknownTypes: .acknowledge) { context, group in
                    EventRecorder(postgres: context.postgres, group: group, logger: context.logger)
                },
                .init(stream: .requests, unknownTypes: .deadLetter) { context, _ in
                    QueryHandler(
                        queries: StoreQueries(
                            postgres: context.postgres, redis: context.redis, prefix: context.streams.prefix,
                            logger: context.logger),
                        producer: context.producer, logger: context.logger)
                },
            ],
            backgroundServices: { context in
                guard settings.retentionDays > 0 else { return [] }
                return [
                    RetentionPurge(settings: settings, postgres: context.postgres, readiness: context.readiness, logger: context.logger)
                ]
            })
    }

    /// The store's migrations (version 2 and up) from the bundled `Migrations` folder.
    public static func migrations() throws -> [Migration] {
        try Migration.loadBundled(name, in: .module)
    }
}

import Hummingbird
import KefuModel
import Postgres
import ServiceLifecycle

/// Everything the runtime needs to run one service.
public struct ServiceDefinition: Sendable {
    /// Short name: `gateway`, `routing`, …; also the PostgreSQL schema it owns.
    public var name: String
    /// The default `HTTP_PORT`.
    public var defaultPort: Int
    /// The service's own migrations, versions 2 and up (version 1 is the runtime's `0001_runtime.sql`).
    public var migrations: [Migration]
    /// The consumer groups the service joins.
    public var consumers: [ConsumerDefinition]
    /// Adds the service's own HTTP routes next to `/health`, `/ready` and `/metrics`.
    public var routes: @Sendable (Router<BasicRequestContext>, ServiceContext) -> Void
    /// Replaces the default HTTP application (and `routes`) for a service that needs its own request context,
    /// server (e.g. WebSocket upgrades) or background tasks; it must add ``OperationalRoutes`` itself.
    public var application: (@Sendable (ServiceContext) throws -> ServiceApplication)?
    /// Extra long-running services (tickers, purges) started with the consumers; each should first
    /// `try await context.readiness.wait(for: .migrations)` and stop on graceful shutdown; one that has
    /// nothing to do may return at once without stopping the service.
    public var backgroundServices: @Sendable (ServiceContext) -> [any Service]

    /// Creates a definition.
    public init(
        name: String,
        defaultPort: Int,
        migrations: [Migration],
        consumers: [ConsumerDefinition],
        routes: @escaping @Sendable (Router<BasicRequestContext>, ServiceContext) -> Void = { _, _ in },
        application: (@Sendable (ServiceContext) throws -> ServiceApplication)? = nil,
        backgroundServices: @escaping @Sendable (ServiceContext) -> [any Service] = { _ in [] }
    ) {
        self.name = name
        self.defaultPort = defaultPort
        self.migrations = migrations
        self.consumers = consumers
        self.routes = routes
        self.application = application
        self.backgroundServices = backgroundServices
    }

    /// The runtime's migrations followed by the service's own, as the service applies them at start
    /// (for operator tools that migrate without starting the service).
    public func allMigrations() throws -> [Migration] {
        try RuntimeMigrations.all(adding: migrations)
    }

    /// The PostgreSQL schema the service owns.
    public var schema: String { name }

    /// The consumer group the service reads in: the contract's name for a Kefu service, else its name.
    public var group: String {
        ServiceName(rawValue: name).flatMap(ConsumerGroups.group(for:)) ?? name
    }

    /// The streams the service reads in its group, under `names`.
    public func consumedStreams(_ names: StreamNames) -> [String] {
        consumers.flatMap { names.partitions(of: $0.streamName(names, service: name)) }
    }
}

/// A service's own HTTP server and the background tasks that run beside it, in the service's `ServiceGroup`.
public struct ServiceApplication: Sendable {
    /// The HTTP server (usually a Hummingbird `Application`).
    public var http: any Service
    /// Tasks that run until shutdown (stream tailers, timers).
    public var services: [any Service]

    /// Creates the pair.
    public init(http: any Service, services: [any Service] = []) {
        self.http = http
        self.services = services
    }
}

import Foundation
import Hummingbird
import Logging
import Postgres
import ServiceLifecycle
import ServiceRuntime

/// The gateway service: the HTTP and WebSocket entry for visitors, agents and admins. See `README.md` beside this folder.
public enum GatewayService {
    /// The service's short name, schema and default HTTP port.
    public static let name = "gateway"

    /// What the runtime needs to run this service, with the gateway's own settings. `kefu-gateway` reads
    /// them first (``GatewayConfiguration/init(reader:)``) so that a bad value stops the process before
    /// anything starts; without them (tools that only need the migrations) they are read from the
    /// environment when the application is built.
    public static func definition(_ gateway: GatewayConfiguration? = nil) -> ServiceDefinition {
        ServiceDefinition(
            name: name,
            defaultPort: 8080,
            migrations: migrations(),
            consumers: [],
            application: { context in try application(context: context, gateway: gateway ?? GatewayConfiguration()) })
    }

    /// The `gateway` schema's migrations bundled with the library.
    public static func migrations() -> [Migration] {
        Migration.bundled(name, in: .module)
    }

    /// The folder of static files served at `/`.
    public static var publicFolder: String? {
        Bundle.module.url(forResource: "Public", withExtension: nil)?.path
    }

    static func application(context: ServiceContext, gateway configuration: GatewayConfiguration) throws -> ServiceApplication {
        let gateway = try Gateway(context: context, gateway: configuration)
        let router = Router(context: GatewayRequestContext.self)
        router.add(middleware: MetricsMiddleware())
        OperationalRoutes.add(to: router, service: name, readiness: context.readiness)
        if let folder = publicFolder {
            router.add(middleware: FileMiddleware(folder, searchForIndexHtml: true, logger: context.logger)
                .withAdditionalMediaTypes(forFileExtensions: ["js": .init(type: .application, subType: "javascript", parameter: ("charset", "utf-8"))]))
        }
        gateway.addVisitorRoutes(router)
        gateway.addAuthRoutes(router)
        gateway.addAgentRoutes(router)
        gateway.addAdminRoutes(router)
        gateway.addSupervisorRoutes(router)
        gateway.addChannelKeyRoutes(router)
        gateway.addChannelRoutes(router)
        gateway.addWebhookRoutes(router)

        let responder = GatewayResponder(
            inner: router.buildResponder(), corsOrigins: configuration.corsOrigins, limiter: gateway.limiter,
            ipRate: configuration.ipRate, trustProxy: configuration.trustProxy)
        let http = Application(
            responder: responder,
            server: .http1(configuration: .init(additionalChannelHandlers: [CloseAfterResponseHandler()])),
            configuration: .init(
                address: .hostname(context.configuration.httpHost, port: context.configuration.httpPort),
                serverName: "kefu-gateway"),
            logger: context.logger)
        let background = GatewayBackground(
            gateway: gateway,
            replies: StreamTail(
                redis: context.redis, stream: gateway.replyStream, blockMilliseconds: configuration.tailBlockMilliseconds,
                logger: context.logger),
            events: StreamTail(
                redis: context.redis, streams: context.streams.partitions(of: .events), blockMilliseconds: configuration.tailBlockMilliseconds,
                logger: context.logger),
            signals: StreamTail(
                redis: context.redis, stream: context.streams.signals, blockMilliseconds: configuration.tailBlockMilliseconds,
                logger: context.logger))
        return ServiceApplication(http: GatewayHTTP(application: http, hub: gateway.hub), services: [background, WebhookService(webhooks: gateway.webhooks, context: context)])
    }

    /// The routes the gateway serves, for checking against the OpenAPI document. Builds the application
    /// without running it (nothing connects).
    public static func routeCatalog(context: ServiceContext, gateway: GatewayConfiguration) throws -> RouteCatalog {
        let gateway = try Gateway(context: context, gateway: gateway)
        let router = Router(context: GatewayRequestContext.self)
        gateway.addVisitorRoutes(router)
        gateway.addAuthRoutes(router)
        gateway.addAgentRoutes(router)
        gateway.addAdminRoutes(router)
        gateway.addSupervisorRoutes(router)
        gateway.addChannelKeyRoutes(router)
        gateway.addChannelRoutes(router)
        gateway.addWebhookRoutes(router)
        return gateway.catalog
    }
}

/// The HTTP server, which also closes the open sockets when a graceful shutdown starts (the server waits
/// for open connections, and sockets stay open until closed).
struct GatewayHTTP<Inner: Service>: Service, CustomStringConvertible {
    let application: Inner
    let hub: Hub

    var description: String { "GatewayHTTP" }

    func run() async throws {
        try await withGracefulShutdownHandler {
            try await application.run()
        } onGracefulShutdown: {
            Task { await hub.closeAll() }
        }
    }
}

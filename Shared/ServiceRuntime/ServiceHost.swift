import Foundation
import Hummingbird
import KefuModel
import Logging
import Postgres
import Redis
import RedisStreams
import ServiceLifecycle

/// Runs one Kefu service: configuration, logging, metrics, connections, migrations, consumers and HTTP
/// in a `ServiceGroup` with graceful shutdown on SIGTERM and SIGINT.
public enum ServiceHost {
    /// The whole `main` of a service executable: exits 2 with one line naming the variable on bad
    /// configuration, 1 on a fatal runtime error, 0 after a clean stop.
    public static func main(_ definition: ServiceDefinition) async {
        signal(SIGPIPE, SIG_IGN)
        let configuration: ServiceConfiguration
        do {
            configuration = try ServiceConfiguration(service: definition.name, defaultPort: definition.defaultPort)
        } catch {
            FileHandle.standardError.write(Data("kefu-\(definition.name): \(error)\n".utf8))
            exit(2)
        }
        Observability.bootstrap(configuration)
        let logger = Logger(label: "kefu.\(definition.name)")
        do {
            try await run(definition, configuration: configuration, logger: logger)
        } catch let mismatch as StreamPartitionMismatch {
            FileHandle.standardError.write(Data("kefu-\(definition.name): \(mismatch)\n".utf8))
            exit(2)
        } catch RedisError.cluster(let reason) {
            FileHandle.standardError.write(Data("kefu-\(definition.name): \(RedisError.cluster(reason))\n".utf8))
            exit(2)
        } catch {
            logger.critical("service failed", metadata: ["error": "\(error)"])
            exit(1)
        }
    }

    /// Runs the service until a shutdown signal (or until a part of it fails).
    public static func run(
        _ definition: ServiceDefinition, configuration: ServiceConfiguration, logger: Logger
    ) async throws {
        let redis = RedisClient(configuration: configuration.redis, poolSize: 2, logger: logger)
        let postgres = PostgresClient(configuration: configuration.database, logger: logger)
        let context = ServiceContext(
            configuration: configuration,
            redis: redis,
            producer: StreamProducer(
                client: redis, maxLength: configuration.streams.maxLength,
                router: StreamPartitionCheck.router(configuration.streamNames), replicaWait: configuration.streams.replicaWait),
            postgres: postgres,
            streams: configuration.streamNames,
            readiness: Readiness(),
            logger: logger)

        let http: any Service
        var extraServices: [any Service] = []
        if let application = definition.application {
            let built = try application(context)
            http = built.http
            extraServices = built.services
        } else {
            let router = Router()
            router.add(middleware: MetricsMiddleware())
            OperationalRoutes.add(to: router, service: definition.name, readiness: context.readiness)
            definition.routes(router, context)
            http = Application(
                router: router,
                configuration: .init(
                    address: .hostname(configuration.httpHost, port: configuration.httpPort),
                    serverName: "kefu-\(definition.name)"),
                logger: logger)
        }

        let bootstrap = BootstrapService(definition: definition, context: context, probeInterval: .seconds(5))
        let consumers = definition.consumers.map { EventConsumerService(definition: definition, consumer: $0, context: context) }
        let trimmer = StreamTrimmer(
            client: redis, streams: definition.consumedStreams(context.streams),
            interval: .seconds(60), logger: logger)
        let relay = OutboxRelay(
            schema: definition.schema, postgres: postgres, producer: context.producer,
            readiness: context.readiness, logger: logger, wake: context.outboxWake)
        let core: [any Service] = [bootstrap, trimmer, relay] + consumers + extraServices
        let background = definition.backgroundServices(context).map {
            ServiceGroupConfiguration.ServiceConfiguration(service: $0, successTerminationBehavior: .ignore)
        }
        var groupConfiguration = ServiceGroupConfiguration(
            services: core.map { ServiceGroupConfiguration.ServiceConfiguration(service: $0) } + background
                + [ServiceGroupConfiguration.ServiceConfiguration(service: http)],
            gracefulShutdownSignals: [.sigterm, .sigint],
            logger: logger)
        groupConfiguration.maximumGracefulShutdownDuration = configuration.shutdownTimeout
        logger.info(
            "starting",
            metadata: [
                "service": "\(definition.name)", "instance": "\(configuration.instance)",
                "http": "\(configuration.httpHost):\(configuration.httpPort)",
            ])
        var failure: (any Error)?
        do {
            try await ServiceGroup(configuration: groupConfiguration).run()
        } catch {
            failure = error
        }
        await redis.shutdown()
        do {
            try await postgres.shutdown()
        } catch {
            logger.warning("closing PostgreSQL connections failed", metadata: ["error": "\(error)"])
        }
        if let failure { throw failure }
        logger.info("stopped cleanly", metadata: ["service": "\(definition.name)"])
    }
}

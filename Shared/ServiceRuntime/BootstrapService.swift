import Foundation
import Logging
import Postgres
import Redis
import RedisStreams
import ServiceLifecycle

/// Connects to Redis and PostgreSQL (retrying with backoff), migrates the service's schema and creates its
/// consumer groups, then keeps `/ready` current by probing both servers every few seconds.
struct BootstrapService: Service {
    let definition: ServiceDefinition
    let context: ServiceContext
    let probeInterval: Duration

    func run() async throws {
        do {
            try await bootstrapAndProbe()
        } catch is CancellationError {
            return
        }
    }

    private func bootstrapAndProbe() async throws {
        try await cancelWhenGracefulShutdown {
            try await connectRedis()
            try await connectPostgres()
            try await migrate()
            try await createGroups()
            context.logger.info("service ready", metadata: ["service": "\(definition.name)"])
            while true {
                try await Task.sleep(for: probeInterval)
                context.readiness.set(.redis, await context.redis.isReachable())
                context.readiness.set(.postgres, await context.postgres.isReachable())
            }
        }
    }

    private func connectRedis() async throws {
        try await retrying("Redis") {
            guard await context.redis.isReachable() else { throw RedisError.connectionFailed("no PONG") }
        }
        try await context.redis.verifyClusterCoverage()
        var stored: String?
        try await retrying("the stream partition count") {
            stored = try await StreamPartitionCheck.storeOrRead(names: context.streams, redis: context.redis)
        }
        try StreamPartitionCheck.verify(stored: stored, names: context.streams)
        context.readiness.set(.redis, true)
    }

    private func connectPostgres() async throws {
        try await retrying("PostgreSQL") {
            guard await context.postgres.isReachable() else { throw PostgresError.connectionFailed(reason: "no answer") }
        }
        context.readiness.set(.postgres, true)
    }

    private func migrate() async throws {
        let migrations = try RuntimeMigrations.all(adding: definition.migrations)
        let migrator = Migrator(schema: definition.schema, migrations: migrations)
        try await retrying("migrations") {
            let applied = try await migrator.migrate(using: context.postgres, logger: context.logger)
            if !applied.isEmpty {
                context.logger.info("migrations applied", metadata: ["schema": "\(definition.schema)", "versions": "\(applied)"])
            }
        }
        context.readiness.set(.migrations, true)
    }

    private func createGroups() async throws {
        for stream in definition.consumedStreams(context.streams) {
            try await retrying("consumer group \(definition.group) on \(stream)") {
                try await StreamGroups.create(stream: stream, group: definition.group, redis: context.redis)
            }
        }
        context.readiness.set(.consumerGroups, true)
    }

    /// Runs `body` until it succeeds, logging each failure and backing off.
    private func retrying(_ what: String, _ body: () async throws -> Void) async throws {
        var backoff = Backoff(initial: .milliseconds(200), maximum: .seconds(5))
        while true {
            do {
                try await body()
                return
            } catch let error as CancellationError {
                throw error
            } catch {
                let delay = backoff.next()
                context.logger.warning(
                    "\(what) not available yet; retrying",
                    metadata: ["error": "\(error)", "retry_in": "\(delay)"])
                try await Task.sleep(for: delay)
            }
        }
    }
}

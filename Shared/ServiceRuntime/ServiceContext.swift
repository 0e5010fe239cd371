import KefuModel
import Logging
import Postgres
import Redis
import RedisStreams

/// The connections and settings a running service shares with its consumers and routes.
public struct ServiceContext: Sendable {
    /// The service's configuration.
    public let configuration: ServiceConfiguration
    /// Redis, for short commands (its own threads).
    public let redis: RedisClient
    /// Appends to streams with the configured `MAXLEN ~` valve (`KEFU_STREAM_MAXLEN`).
    public let producer: StreamProducer
    /// PostgreSQL (its own threads).
    public let postgres: PostgresClient
    /// Stream names under the configured prefix.
    public let streams: StreamNames
    /// What `/ready` reports.
    public let readiness: Readiness
    /// The service's logger.
    public let logger: Logger
    /// Wakes the outbox relay when a publisher hands rows back to it (see ``WakeSignal``).
    public let outboxWake: WakeSignal
    /// Publishes a transaction's outbox rows right after it commits.
    public let publisher: OutboxPublisher

    /// Creates a context from its parts (the host does this; tests may too).
    public init(
        configuration: ServiceConfiguration, redis: RedisClient, producer: StreamProducer, postgres: PostgresClient,
        streams: StreamNames, readiness: Readiness, logger: Logger, outboxWake: WakeSignal = WakeSignal()
    ) {
        self.configuration = configuration
        self.redis = redis
        self.producer = producer
        self.postgres = postgres
        self.streams = streams
        self.readiness = readiness
        self.logger = logger
        self.outboxWake = outboxWake
        publisher = OutboxPublisher(postgres: postgres, producer: producer, wake: outboxWake, logger: logger)
    }

    /// The service's outbox: events enqueued here in a transaction are published after it commits.
    public var outbox: Outbox { Outbox(schema: configuration.service) }
}

import Logging
import Metrics
import Redis
import ServiceLifecycle

/// Consumes every partition of a logical stream in one consumer group: one ``StreamConsumer`` per
/// partition, each with its own reading connection, all sharing one handler; a swift-service-lifecycle
/// `Service`.
///
/// Each partition is read, processed and acknowledged in order by its own consumer, so entries of one
/// session (which all go to one partition) are handled in stream order, while partitions proceed
/// independently. Instances of a service share every partition through the group. Dead letters of a
/// partition go to `<partition>:dead` (the same Cluster slot).
public final class PartitionedStreamConsumer<Handler: StreamHandler>: Service, Sendable {
    /// One consumer per partition, in partition order.
    public let consumers: [StreamConsumer<Handler>]

    /// Creates one consumer per stream in `partitions` with `configuration` (whose `stream` and
    /// `deadLetterStream` are replaced per partition).
    ///
    /// - Throws: ``StreamConfigurationError`` naming a bad setting, or an empty partition list.
    public init(
        client: RedisClient,
        partitions: [String],
        configuration: StreamConsumerConfiguration,
        handler: Handler,
        logger: Logger,
        metricsFactory: any MetricsFactory = MetricsSystem.factory
    ) throws(StreamConfigurationError) {
        guard !partitions.isEmpty else { throw .invalid("partitions", "must not be empty") }
        var consumers: [StreamConsumer<Handler>] = []
        for stream in partitions {
            var own = configuration
            own.stream = stream
            own.deadLetterStream = stream + ":dead"
            consumers.append(try StreamConsumer(
                client: client, configuration: own, handler: handler, logger: logger, metricsFactory: metricsFactory))
        }
        self.consumers = consumers
    }

    /// Runs every partition's consumer until graceful shutdown or cancellation.
    public func run() async throws {
        if consumers.count == 1 {
            try await consumers[0].run()
            return
        }
        try await withThrowingDiscardingTaskGroup { group in
            for consumer in consumers {
                group.addTask { try await consumer.run() }
            }
        }
    }
}

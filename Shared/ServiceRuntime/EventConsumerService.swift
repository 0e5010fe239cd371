import Logging
import RedisStreams
import ServiceLifecycle

/// One consumer group of a service: waits until the service is bootstrapped, then runs a
/// ``StreamConsumer`` with the consumer's own batch handler (``ConsumerDefinition/handlerFactory``) or,
/// by default, an ``EventStreamHandler`` over its per-type handlers.
struct EventConsumerService: Service {
    let definition: ServiceDefinition
    let consumer: ConsumerDefinition
    let context: ServiceContext

    func run() async throws {
        do {
            try await cancelWhenGracefulShutdown {
                try await context.readiness.wait(for: .consumerGroups)
            }
        } catch {
            return
        }
        let settings = context.configuration.streams
        let stream = consumer.streamName(context.streams, service: definition.name)
        let configuration = StreamConsumerConfiguration(
            stream: stream, group: definition.group,
            consumer: ConsumerName.stable(service: definition.name, instance: context.configuration.instance),
            batchSize: settings.batchSize,
            blockMilliseconds: settings.blockMilliseconds,
            claimIdleMilliseconds: settings.claimIdleMilliseconds,
            claimIntervalMilliseconds: max(100, min(5_000, settings.claimIdleMilliseconds / 2)),
            maxDeliveries: settings.maxDeliveries)
        if let factory = consumer.handlerFactory {
            try await consume(with: factory(context, definition.group), configuration)
        } else {
            let handler = EventStreamHandler(
                consumer: consumer, schema: definition.schema, group: definition.group, postgres: context.postgres,
                publisher: context.publisher)
            try await consume(with: handler, configuration)
        }
    }

    private func consume<Handler: StreamHandler>(
        with handler: Handler, _ configuration: StreamConsumerConfiguration
    ) async throws {
        let streamConsumer = try PartitionedStreamConsumer(
            client: context.redis, partitions: context.streams.partitions(of: configuration.stream),
            configuration: configuration, handler: handler, logger: context.logger)
        try await streamConsumer.run()
    }
}

import Logging
import RedisStreams
import ServiceLifecycle

/// One consumer group of a service: waits until the service is bootstrapped, then runs a
/// ``StreamConsumer`` with an ``EventStreamHandler``.
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
        let handler = EventStreamHandler(
            consumer: consumer, schema: definition.schema, group: definition.group, postgres: context.postgres)
        let streamConsumer = try StreamConsumer(
            client: context.redis, configuration: configuration, handler: handler, logger: context.logger)
        try await streamConsumer.run()
    }
}

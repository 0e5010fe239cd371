import AsyncHTTPClient
import Foundation
import Logging
import RedisStreams
import ServiceLifecycle
import ServiceRuntime

/// Everything webhooks need: settings, the tables, the SSRF guard and the dispatcher (the routes use these).
struct Webhooks: Sendable {
    let settings: WebhookSettings
    let store: WebhookStore
    let guardrail: AddressGuard
    let dispatcher: WebhookDispatcher

    init(context: ServiceContext, settings: WebhookSettings) {
        self.settings = settings
        store = WebhookStore(postgres: context.postgres)
        guardrail = AddressGuard(allowPrivate: settings.allowPrivate)
        dispatcher = WebhookDispatcher(store: store, settings: settings, logger: context.logger)
    }

    /// The outbound HTTP client: no redirects (they could lead to a forbidden address), no decompression.
    static func makeClient() -> HTTPClient {
        var configuration = HTTPClient.Configuration()
        configuration.redirectConfiguration = .disallow
        configuration.timeout = .init(connect: .seconds(5))
        configuration.decompression = .disabled
        return HTTPClient(eventLoopGroupProvider: .singleton, configuration: configuration)
    }
}

/// Runs the `webhooks` consumer group and the sweep that finds deliveries left to send (at start, and those
/// another instance leased and did not finish); stops the dispatcher and the HTTP client at shutdown.
struct WebhookService: Service, CustomStringConvertible {
    let webhooks: Webhooks
    let context: ServiceContext

    var description: String { "WebhookService" }

    func run() async throws {
        do {
            try await cancelWhenGracefulShutdown {
                try await context.readiness.wait(for: .migrations)
                try await createGroup()
            }
        } catch {
            await webhooks.dispatcher.stop()
            return
        }
        let client = Webhooks.makeClient()
        await webhooks.dispatcher.start(
            sender: WebhookSender(client: client, guardrail: webhooks.guardrail, settings: webhooks.settings))
        let settings = context.configuration.streams
        let consumer = try PartitionedStreamConsumer(
            client: context.redis, partitions: context.streams.partitions(of: .events),
            configuration: StreamConsumerConfiguration(
                stream: context.streams.events, group: WebhookConsumer.group,
                consumer: ConsumerName.stable(service: WebhookConsumer.group, instance: context.configuration.instance),
                batchSize: settings.batchSize, blockMilliseconds: settings.blockMilliseconds,
                claimIdleMilliseconds: settings.claimIdleMilliseconds,
                claimIntervalMilliseconds: max(100, min(5_000, settings.claimIdleMilliseconds / 2)),
                maxDeliveries: settings.maxDeliveries, startID: "$"),
            handler: WebhookConsumer(store: webhooks.store, dispatcher: webhooks.dispatcher), logger: context.logger)
        await withTaskGroup(of: Void.self) { group in
            group.addTask { try? await consumer.run() }
            group.addTask { await sweep() }
        }
        await webhooks.dispatcher.stop()
        try? await client.shutdown()
    }

    private func createGroup() async throws {
        var delay = 100
        while true {
            do {
                for stream in context.streams.partitions(of: .events) {
                    try await StreamGroups.create(stream: stream, group: WebhookConsumer.group, startID: "$", redis: context.redis)
                }
                return
            } catch {
                context.logger.warning("webhooks consumer group not created yet", metadata: ["error": "\(error)"])
                try await Task.sleep(for: .milliseconds(delay))
                delay = min(delay * 2, 5000)
            }
        }
    }

    private func sweep() async {
        await cancelWhenGracefulShutdown {
            while !Task.isCancelled {
                do {
                    await webhooks.dispatcher.wake(try await webhooks.store.endpointsWithWork())
                    _ = try await webhooks.store.purge(olderThanDays: 30)
                } catch {
                    context.logger.debug("webhook sweep deferred", metadata: ["error": "\(error)"])
                }
                try? await Task.sleep(for: webhooks.settings.sweepInterval)
            }
        }
    }
}

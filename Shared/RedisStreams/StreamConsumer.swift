import Logging
import Metrics
import Redis
import ServiceLifecycle
import Synchronization

/// Consumes one stream in one consumer group and hands batches to a ``StreamHandler``;
/// a swift-service-lifecycle `Service`.
///
/// What `run()` does:
/// 1. `XGROUP CREATE <stream> <group> <startID> MKSTREAM` (an existing group is fine).
/// 2. Drains its own pending entries (`XREADGROUP … STREAMS s 0`, advancing) — what a previous
///    run under the same consumer name read but did not acknowledge.
/// 3. Reads new entries (`>`, `COUNT batchSize BLOCK blockMilliseconds`) on a dedicated
///    connection with a thread of its own; a nil reply means "nothing yet".
/// 4. Decodes each entry (failure → dead letter at once), calls the handler with the batch, and
///    acknowledges it only after the handler returned. The `XACK` of a batch travels in the same
///    round trip as the next read. If the batch handler throws, each entry is retried alone; the
///    ones that still fail stay pending.
/// 5. A child task claims every `claimIntervalMilliseconds`: entries idle longer than
///    `claimIdleMilliseconds` whose delivery count (from `XPENDING`) reached `maxDeliveries` are
///    dead-lettered; then `XAUTOCLAIM` takes over idle entries (crashed consumers, own failures)
///    and processes them like a read batch.
///
/// Connection errors are logged, counted, backed off (100 ms doubling to 5 s) and retried; after
/// one the consumer drains its own pending entries again. Nothing is acknowledged unless its
/// handler succeeded or it was dead-lettered.
///
/// On graceful shutdown it stops reading (waking a blocked read with `CLIENT UNBLOCK`), finishes
/// and acknowledges the batch in hand, and returns. On cancellation, entries whose handler was
/// cancelled are not acknowledged.
public final class StreamConsumer<Handler: StreamHandler>: Service, Sendable {
    /// The settings this consumer runs with.
    public let configuration: StreamConsumerConfiguration
    let client: RedisClient
    let handler: Handler
    let logger: Logger
    let metrics: StreamConsumerMetrics
    let lastErrors = LastErrorLog()
    let deadLetters: DeadLetterWriter
    let readerClientID = Atomic<Int64>(-1)
    let readLoopRunning = Atomic<Bool>(false)

    /// Creates a consumer; nothing connects until ``run()``.
    ///
    /// - Parameters:
    ///   - client: Used for group creation, acknowledgements of claimed entries, dead letters and
    ///     claiming. Reads use a dedicated connection made from it.
    ///   - metricsFactory: Where metrics go (default: the bootstrapped `MetricsSystem`).
    /// - Throws: ``StreamConfigurationError`` naming a bad setting.
    public init(
        client: RedisClient,
        configuration: StreamConsumerConfiguration,
        handler: Handler,
        logger: Logger,
        metricsFactory: any MetricsFactory = MetricsSystem.factory
    ) throws(StreamConfigurationError) {
        try configuration.validate()
        self.configuration = configuration
        self.client = client
        self.handler = handler
        var logger = logger
        logger[metadataKey: "stream"] = "\(configuration.stream)"
        logger[metadataKey: "stream.group"] = "\(configuration.group)"
        logger[metadataKey: "stream.consumer"] = "\(configuration.consumer)"
        self.logger = logger
        self.metrics = StreamConsumerMetrics(
            stream: configuration.stream,
            group: configuration.group,
            factory: metricsFactory
        )
        self.deadLetters = DeadLetterWriter(
            stream: configuration.stream,
            group: configuration.group,
            consumer: configuration.consumer,
            deadLetterStream: configuration.deadLetterStream
        )
    }

    /// Runs until graceful shutdown or cancellation; never throws for Redis or handler errors.
    public func run() async throws {
        let readTimeout = max(configuration.readTimeout, client.configuration.readTimeout)
        let reader = client.makeDedicatedConnection(readTimeout: readTimeout)
        var state = ReadState()
        readLoopRunning.store(true, ordering: .releasing)
        if await prepare(&state, reader: reader) {
            await withDiscardingTaskGroup { group in
                group.addTask { await self.claimLoop() }
                await self.readLoop(&state, reader: reader, untilDrained: false)
                self.readLoopRunning.store(false, ordering: .releasing)
            }
        }
        readLoopRunning.store(false, ordering: .releasing)
        await flushAcknowledgements(&state, reader: reader)
        await reader.close()
        logger.info("stream consumer stopped")
    }

    /// Creates the group and drains this consumer's own pending entries.
    private func prepare(_ state: inout ReadState, reader: RedisDedicatedConnection) async -> Bool {
        var failures = 0
        while !isStopping {
            do {
                try await ensureGroup()
                break
            } catch {
                failures += 1
                record(error, while: "creating the consumer group")
                await backOff(failures: failures)
            }
        }
        await readLoop(&state, reader: reader, untilDrained: true)
        if !isStopping {
            logger.info("stream consumer drained its pending entries; reading new ones")
        }
        return !isStopping
    }

    /// Creates the group (``StreamGroups/create(stream:group:startID:redis:)``); warns if the dead-letter
    /// key is not a stream.
    func ensureGroup() async throws {
        let configuration = configuration
        try await StreamGroups.create(
            stream: configuration.stream, group: configuration.group, startID: configuration.startID, redis: client)
        let type = try await client.send(["TYPE", configuration.deadLetterStream]).string
        if let type, type != "none", type != "stream" {
            metrics.error(.deadLetter)
            logger.error("dead-letter key is not a stream; dead letters will fail", metadata: [
                "stream.dead": "\(configuration.deadLetterStream)", "redis.type": "\(type)",
            ])
        }
    }

    /// True once graceful shutdown or cancellation began.
    var isStopping: Bool {
        Task.isCancelled || Task.isShuttingDownGracefully
    }

    /// Sleeps 100 ms doubling up to 5 s; wakes early on graceful shutdown.
    func backOff(failures: Int) async {
        let delay = backOffDelay(failures: failures)
        try? await cancelWhenGracefulShutdown { try await Task.sleep(for: delay) }
    }

    /// 100 ms doubling per consecutive failure, capped at 5 s.
    func backOffDelay(failures: Int) -> Duration {
        let exponent = min(max(failures - 1, 0), 6)
        return min(Duration.milliseconds(100) * (1 << exponent), .seconds(5))
    }

    /// Logs and counts an error once, where it is handled.
    func record(_ error: any Error, while action: String) {
        if error is CancellationError { return }
        let kind: StreamConsumerMetrics.ErrorKind
        switch error {
        case let redis as RedisError: kind = redis.isConnectionError ? .connection : .protocol
        case is StreamError: kind = .protocol
        default: kind = .connection
        }
        metrics.error(kind)
        logger.warning("stream consumer error while \(action); retrying", metadata: ["error": "\(error)"])
    }
}

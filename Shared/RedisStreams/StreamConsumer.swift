import Foundation
import Logging
import Metrics
import Redis
import ServiceLifecycle
import Synchronization

/// Reads a stream in a consumer group and hands batches to a ``StreamHandler``, at least once.
///
/// - Drains its own pending entries first, then reads new ones with `XREADGROUP … COUNT n BLOCK t` on a
///   connection with a thread of its own.
/// - Acknowledges only what the handler applied; a failing batch is retried entry by entry, and failing
///   entries stay pending.
/// - Periodically dead-letters pending entries delivered `maxDeliveries` times (count from `XPENDING`),
///   claims idle entries of any consumer with `XAUTOCLAIM`, and trims the stream below every group's floor.
/// - Undecodable entries go to the dead-letter stream at once. Nothing is dropped silently.
/// - On graceful shutdown it stops reading, finishes and acknowledges the batch in hand, and returns.
public final class StreamConsumer<Handler: StreamHandler>: Service, Sendable {
    /// The consumer's settings.
    public let configuration: StreamConsumerConfiguration
    let handler: Handler
    let redis: RedisClient
    let logger: Logger
    let metrics: StreamMetrics
    let lastErrors = Mutex<[String: String]>([:])
    private let stopping = Atomic<Bool>(false)

    /// Creates a consumer; it does nothing until ``run()``.
    public init(configuration: StreamConsumerConfiguration, handler: Handler, redis: RedisClient, logger: Logger) {
        self.configuration = configuration
        self.handler = handler
        self.redis = redis
        var logger = logger
        logger[metadataKey: "stream"] = "\(configuration.stream)"
        logger[metadataKey: "group"] = "\(configuration.group)"
        logger[metadataKey: "consumer"] = "\(configuration.consumer)"
        self.logger = logger
        self.metrics = StreamMetrics(stream: configuration.stream, group: configuration.group)
    }

    /// Asks the consumer to stop after the batch in hand, as a graceful shutdown does.
    public func stop() {
        stopping.store(true, ordering: .releasing)
    }

    var isStopping: Bool { stopping.load(ordering: .acquiring) || Task.isCancelled }

    public func run() async throws {
        let reader = redis.makeDedicatedConnection(
            readTimeout: .milliseconds(configuration.blockMilliseconds + 5_000))
        await withGracefulShutdownHandler {
            await withTaskGroup(of: Void.self) { group in
                group.addTask { await self.readLoop(reader) }
                group.addTask { await self.maintenanceLoop() }
            }
        } onGracefulShutdown: {
            self.stop()
        }
        await reader.close()
        logger.debug("consumer stopped")
    }

    /// Reads own pending entries, then new ones, until stopped.
    private func readLoop(_ reader: RedisDedicatedConnection) async {
        var backoff = ReadBackoff()
        var pendingCursor: String? = "0"
        var groupReady = false
        while !isStopping {
            do {
                if !groupReady {
                    try await StreamGroups.create(
                        stream: configuration.stream, group: configuration.group,
                        startID: configuration.startID, redis: redis)
                    groupReady = true
                }
                let command = readCommand(from: pendingCursor)
                let reply = try await reader.run { connection in try connection.command(command).throwingOnError() }
                let entries = try StreamReplies.readEntries(reply)
                if let cursor = pendingCursor {
                    guard let last = entries.last else {
                        pendingCursor = nil
                        continue
                    }
                    logger.info("draining own pending entries", metadata: ["count": "\(entries.count)", "after": "\(cursor)"])
                    pendingCursor = last.id
                }
                if !entries.isEmpty { await process(entries) }
                backoff.reset()
            } catch RedisError.server(let message) where message.hasPrefix("NOGROUP") {
                groupReady = false
                logger.warning("consumer group vanished; recreating it")
            } catch {
                let delay = backoff.next()
                logger.warning("stream read failed; retrying", metadata: ["error": "\(error)", "retry_in": "\(delay)"])
                metrics.errors.increment()
                await sleep(delay)
            }
        }
    }

    private func readCommand(from pendingCursor: String?) -> [String] {
        var command = ["XREADGROUP", "GROUP", configuration.group, configuration.consumer, "COUNT", String(configuration.batchSize)]
        if pendingCursor == nil { command += ["BLOCK", String(configuration.blockMilliseconds)] }
        return command + ["STREAMS", configuration.stream, pendingCursor ?? ">"]
    }

    /// Claims, dead-letters and trims on their intervals until stopped.
    private func maintenanceLoop() async {
        let claimEvery = Duration.milliseconds(max(50, configuration.claimIntervalMilliseconds))
        var nextTrim = ContinuousClock.now
        while !isStopping {
            await sleep(claimEvery)
            if isStopping { return }
            do {
                try await deadLetterExhausted()
                try await claimIdle()
                if configuration.trimIntervalMilliseconds > 0, ContinuousClock.now >= nextTrim {
                    nextTrim = ContinuousClock.now + .milliseconds(configuration.trimIntervalMilliseconds)
                    let trimmed = try await StreamTrimmer(redis: redis).trimOnce(stream: configuration.stream)
                    if trimmed > 0 { logger.debug("stream trimmed", metadata: ["entries": "\(trimmed)"]) }
                }
            } catch {
                metrics.errors.increment()
                logger.warning("pending-entry maintenance failed", metadata: ["error": "\(error)"])
            }
        }
    }

    /// Sleeps up to `duration`, waking early when stopping.
    func sleep(_ duration: Duration) async {
        let deadline = ContinuousClock.now + duration
        while !isStopping, ContinuousClock.now < deadline {
            try? await Task.sleep(for: min(.milliseconds(100), deadline - ContinuousClock.now))
        }
    }
}

/// Backoff for the read loop: 100 ms doubling to 5 s.
struct ReadBackoff {
    private var current: Duration = .milliseconds(100)

    mutating func next() -> Duration {
        defer { current = min(current * 2, .seconds(5)) }
        return current
    }

    mutating func reset() {
        current = .milliseconds(100)
    }
}

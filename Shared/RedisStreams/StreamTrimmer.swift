import Logging
import Metrics
import Redis
import ServiceLifecycle

/// Trims streams below the oldest entry any consumer group still needs, a swift-service-lifecycle
/// `Service` that trims its streams every `interval`.
///
/// Redis 7.0 cannot trim "only acknowledged" entries, so the floor is computed across all groups
/// (`XINFO GROUPS`): a group's oldest pending id (from the `XPENDING` summary) if it has pending
/// entries, else its last-delivered id; then `XTRIM <stream> MINID ~ <floor>`, which removes only
/// entries older than the floor. A stream without groups is not trimmed this way (the producer's
/// `MAXLEN ~` valve still applies). Groups lagging by more than `lagWarning` entries are logged.
public final class StreamTrimmer: Service, Sendable {
    private let client: RedisClient
    /// The streams ``run()`` trims.
    public let streams: [String]
    /// Pause between two trimming rounds in ``run()``.
    public let interval: Duration
    /// Lag (entries not yet delivered to a group) above which a warning is logged.
    public let lagWarning: Int64
    private let logger: Logger
    private let factory: any MetricsFactory

    /// Creates a trimmer for `streams`.
    public init(
        client: RedisClient,
        streams: [String] = [],
        interval: Duration = .seconds(60),
        lagWarning: Int64 = 100_000,
        logger: Logger,
        metricsFactory: any MetricsFactory = MetricsSystem.factory
    ) {
        self.client = client
        self.streams = streams
        self.interval = interval
        self.lagWarning = lagWarning
        self.logger = logger
        self.factory = metricsFactory
    }

    /// Trims every stream each `interval` until graceful shutdown or cancellation.
    public func run() async throws {
        while !Task.isCancelled && !Task.isShuttingDownGracefully {
            for stream in streams {
                do {
                    _ = try await trimOnce(stream: stream)
                } catch {
                    if Task.isCancelled { return }
                    logger.warning("stream trim failed", metadata: ["stream": "\(stream)", "error": "\(error)"])
                }
            }
            let pause = interval
            try? await cancelWhenGracefulShutdown { try await Task.sleep(for: pause) }
        }
    }

    /// Trims one stream to its safe floor; returns the number of entries removed.
    public func trimOnce(stream: String) async throws -> Int {
        guard let floor = try await safeFloor(stream: stream) else { return 0 }
        let reply = try await client.send(["XTRIM", stream, "MINID", "~", floor])
        guard let removed = reply.int else {
            throw StreamError.unexpectedReply(command: "XTRIM", detail: "expected an integer")
        }
        Counter(label: "kefu_stream_trimmed_total", dimensions: [("stream", stream)], factory: factory)
            .increment(by: removed)
        if removed > 0 {
            logger.debug("stream trimmed", metadata: ["stream": "\(stream)", "floor": "\(floor)", "removed": "\(removed)"])
        }
        return Int(removed)
    }

    /// The lowest id any group still needs, or nil when the stream has no groups (or does not exist).
    public func safeFloor(stream: String) async throws -> String? {
        let groupsReply = try await client.withConnection { connection in
            try connection.command(["XINFO", "GROUPS", stream])
        }
        if let message = groupsReply.errorMessage {
            if message.contains("no such key") { return nil }
            throw RedisError.server(message)
        }
        let groups = try StreamReplyParser.groups(groupsReply)
        if groups.isEmpty { return nil }
        let pendingGroups = groups.filter { $0.pending > 0 }
        let summaries = pendingGroups.isEmpty ? [] : try await client.pipeline(pendingGroups.map { ["XPENDING", stream, $0.name] })
        var oldestPending: [String: String] = [:]
        for (group, reply) in zip(pendingGroups, summaries) {
            if let message = reply.errorMessage { throw RedisError.server(message) }
            if let oldest = try StreamReplyParser.oldestPendingID(reply) { oldestPending[group.name] = oldest }
        }
        var floor: StreamID?
        for group in groups {
            report(group, stream: stream)
            let needed = oldestPending[group.name] ?? group.lastDeliveredID
            guard let id = StreamID(needed) else {
                throw StreamError.unexpectedReply(command: "XINFO GROUPS", detail: "bad id for group \(group.name)")
            }
            floor = floor.map { min($0, id) } ?? id
        }
        return floor?.description
    }

    private func report(_ group: GroupInfo, stream: String) {
        let dimensions = [("stream", stream), ("group", group.name)]
        Gauge(label: "kefu_stream_group_pending", dimensions: dimensions, factory: factory).record(group.pending)
        guard let lag = group.lag else { return }
        Gauge(label: "kefu_stream_group_lag", dimensions: dimensions, factory: factory).record(lag)
        if lag > lagWarning {
            logger.warning("consumer group is lagging; the stream cannot be trimmed below it", metadata: [
                "stream": "\(stream)", "stream.group": "\(group.name)", "lag": "\(lag)",
            ])
        }
    }
}

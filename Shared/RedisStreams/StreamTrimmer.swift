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
/// `MAXLEN ~` valve still applies). Each round also records `kefu_stream_group_pending` and
/// `kefu_stream_group_lag` (counted, see ``lag(stream:group:limit:)``) per group; groups lagging by more than
/// `lagWarning` entries are logged.
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
            await report(group, stream: stream)
            let needed = oldestPending[group.name] ?? group.lastDeliveredID
            guard let id = StreamID(needed) else {
                throw StreamError.unexpectedReply(command: "XINFO GROUPS", detail: "bad id for group \(group.name)")
            }
            floor = floor.map { min($0, id) } ?? id
        }
        return floor?.description
    }

    /// How many entries of `stream` come after `group`'s last-delivered id (not yet delivered to it).
    ///
    /// Counted from the stream itself, not taken from `XINFO GROUPS`' `lag`: Redis restores a group's
    /// `entries-read` from a rewritten AOF base while later reads are not counted again, so after a restart
    /// that `lag` stays above zero for a group that has read everything, and grows with every restart.
    /// Counting stops at `limit`; a group that far behind reports `max(limit, XINFO's lag)`.
    public func lag(stream: String, group: String, limit: Int64? = nil) async throws -> Int64 {
        let groups = try StreamReplyParser.groups(try await client.send(["XINFO", "GROUPS", stream]))
        guard let info = groups.first(where: { $0.name == group }) else {
            throw StreamError.unexpectedReply(command: "XINFO GROUPS", detail: "no group \(group) on \(stream)")
        }
        return try await countLag(info, stream: stream, limit: limit ?? lagCountLimit)
    }

    /// Counting bound: enough to tell a lagging group (``lagWarning``) apart.
    private var lagCountLimit: Int64 { max(lagWarning + 1, 1_000) }

    private static let countAfterScript = """
        return #redis.call('XRANGE', KEYS[1], '(' .. ARGV[1], '+', 'COUNT', ARGV[2])
        """

    private func countLag(_ group: GroupInfo, stream: String, limit: Int64) async throws -> Int64 {
        let reply = try await client.send([
            "EVAL", Self.countAfterScript, "1", stream, group.lastDeliveredID, String(limit),
        ])
        if let message = reply.errorMessage { throw RedisError.server(message) }
        guard let counted = reply.int else {
            throw StreamError.unexpectedReply(command: "EVAL", detail: "expected an integer count")
        }
        return counted >= limit ? max(limit, group.lag ?? limit) : counted
    }

    private func report(_ group: GroupInfo, stream: String) async {
        let dimensions = [("stream", stream), ("group", group.name)]
        Gauge(label: "kefu_stream_group_pending", dimensions: dimensions, factory: factory).record(group.pending)
        let lag: Int64
        do {
            lag = try await countLag(group, stream: stream, limit: lagCountLimit)
        } catch {
            logger.debug("cannot count a group's lag", metadata: ["stream": "\(stream)", "stream.group": "\(group.name)", "error": "\(error)"])
            return
        }
        Gauge(label: "kefu_stream_group_lag", dimensions: dimensions, factory: factory).record(lag)
        if lag > lagWarning {
            logger.warning("consumer group is lagging; the stream cannot be trimmed below it", metadata: [
                "stream": "\(stream)", "stream.group": "\(group.name)", "lag": "\(lag)",
            ])
        }
    }
}

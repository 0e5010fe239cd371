import Logging
import NIOPosix
import Synchronization

/// A `Sendable` Redis client for async code: a small pool of ``RedisConnection``s driven by a thread
/// pool the client owns, so no blocking hiredis call ever runs on Swift's cooperative pool.
///
/// At most `poolSize` commands run at once (one per thread, one connection per thread); further
/// calls queue. Call ``shutdown()`` when done.
///
/// With Sentinel in the configuration, every connection (pooled or dedicated) finds the primary through
/// one shared ``SentinelResolver``, and a thread follows the sentinels' `+switch-master` messages. With a
/// Redis Cluster, every connection routes by slot through one shared ``ClusterTopology``.
public final class RedisClient: Sendable {
    /// Where the pooled connections go.
    public let configuration: RedisConfiguration
    /// Number of threads, and so the most connections the pool opens.
    public let poolSize: Int
    private let logger: Logger
    private let threadPool: NIOThreadPool
    private let idle = Mutex<[ConnectionBox]>([])
    private let closed = Atomic<Bool>(false)
    /// Finds the primary for every connection of this client when ``configuration`` uses Sentinel.
    public let resolver: SentinelResolver?
    private let watcher: SentinelWatcher?
    /// The slot map shared by every connection of this client when ``configuration`` is a Redis Cluster.
    public let topology: ClusterTopology?

    /// Creates the client and starts its threads; connections open lazily.
    public init(configuration: RedisConfiguration, poolSize: Int = 2, logger: Logger) {
        self.configuration = configuration
        let resolver = configuration.sentinel.map { SentinelResolver(configuration: $0) }
        self.resolver = resolver
        self.watcher = resolver.map { SentinelWatcher(resolver: $0, logger: logger) }
        self.topology = configuration.cluster == nil ? nil : ClusterTopology(configuration: configuration)
        self.poolSize = max(1, poolSize)
        self.logger = logger
        self.threadPool = NIOThreadPool(numberOfThreads: self.poolSize)
        self.threadPool.start()
    }

    deinit {
        if !closed.load(ordering: .acquiring) {
            watcher?.stopSoon()
            threadPool.shutdownGracefully { _ in }
        }
    }

    /// Sends one command; an error reply is thrown as ``RedisError/server(_:)``.
    public func send(_ arguments: [String]) async throws -> RedisReply {
        try await withConnection { connection in try connection.command(arguments).throwingOnError() }
    }

    /// Binary variant of ``send(_:)-([String])``.
    public func send(_ arguments: [[UInt8]]) async throws -> RedisReply {
        try await withConnection { connection in try connection.command(arguments).throwingOnError() }
    }

    /// Sends all commands in one round trip; error replies are left in place in the result.
    public func pipeline(_ commands: [[String]]) async throws -> [RedisReply] {
        try await withConnection { connection in try connection.pipeline(commands) }
    }

    /// Binary variant of ``pipeline(_:)-([[String]])``.
    public func pipeline(_ commands: [[[UInt8]]]) async throws -> [RedisReply] {
        try await withConnection { connection in try connection.pipeline(commands) }
    }

    /// Runs `body` on a pool thread with a pooled connection. `body` may block (it is not on the
    /// cooperative pool) but should stay short; use ``makeDedicatedConnection(readTimeout:)`` for
    /// blocking reads.
    ///
    /// - Throws: what `body` throws, ``RedisError/closed`` after ``shutdown()``, or
    ///   `CancellationError` if the task was cancelled before `body` started.
    public func withConnection<T: Sendable>(
        _ body: @escaping @Sendable (RedisConnection) throws -> T
    ) async throws -> T {
        guard !closed.load(ordering: .acquiring) else { throw RedisError.closed }
        do {
            return try await threadPool.runIfActive { [self] in
                let box = checkout()
                defer { checkin(box) }
                return try body(box.connection)
            }
        } catch is NIOThreadPoolError.ThreadPoolInactive {
            throw RedisError.closed
        }
    }

    /// True when `PING` answers `PONG` within the configured timeouts.
    public func isReachable() async -> Bool {
        let reply = try? await send(["PING"])
        return reply == .status("PONG")
    }

    /// On a Redis Cluster, reloads the slot map and throws ``RedisError/cluster(_:)`` (one line naming the
    /// slots) unless every slot has a master; does nothing for a single server or Sentinel.
    public func verifyClusterCoverage() async throws {
        guard let topology else { return }
        try await withConnection { _ in try topology.verifyCoverage() }
    }

    /// Creates a connection bound to a thread of its own, for blocking reads such as
    /// `XREADGROUP … BLOCK`. `readTimeout` must be longer than any `BLOCK` used on it.
    public func makeDedicatedConnection(readTimeout: Duration? = nil) -> RedisDedicatedConnection {
        var configuration = self.configuration
        if let readTimeout { configuration.readTimeout = readTimeout }
        return RedisDedicatedConnection(configuration: configuration, logger: logger, resolver: resolver, topology: topology)
    }

    /// Stops the threads (running commands finish, queued ones fail) and closes every connection.
    public func shutdown() async {
        guard !closed.exchange(true, ordering: .acquiringAndReleasing) else { return }
        await watcher?.stop()
        do {
            try await threadPool.shutdownGracefully()
        } catch {
            logger.warning("redis thread pool shutdown failed", metadata: ["error": "\(error)"])
        }
        let connections = idle.withLock { boxes in
            defer { boxes.removeAll() }
            return boxes
        }
        for box in connections {
            box.connection.close()
        }
    }

    private func checkout() -> ConnectionBox {
        if let box = idle.withLock({ $0.popLast() }) {
            return box
        }
        return ConnectionBox(RedisConnection(configuration: configuration, logger: logger, resolver: resolver, topology: topology))
    }

    private func checkin(_ box: ConnectionBox) {
        if closed.load(ordering: .acquiring) {
            box.connection.close()
            return
        }
        idle.withLock { $0.append(box) }
    }
}

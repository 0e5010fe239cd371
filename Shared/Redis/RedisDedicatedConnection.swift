import Logging
import NIOPosix
import Synchronization

/// One ``RedisConnection`` bound to one thread of its own, for blocking commands
/// (`XREADGROUP … BLOCK`, `BLPOP`). Calls are serialised on that thread; a blocked call occupies
/// only this thread, never Swift's cooperative pool.
public final class RedisDedicatedConnection: Sendable {
    private let thread: NIOThreadPool
    private let box: ConnectionBox
    private let closed = Atomic<Bool>(false)

    init(configuration: RedisConfiguration, logger: Logger, resolver: SentinelResolver?, topology: ClusterTopology?) {
        self.box = ConnectionBox(RedisConnection(
            configuration: configuration, logger: logger, resolver: resolver, topology: topology))
        self.thread = NIOThreadPool(numberOfThreads: 1)
        self.thread.start()
    }

    deinit {
        if !closed.load(ordering: .acquiring) {
            thread.shutdownGracefully { _ in }
        }
    }

    /// Runs `body` on the connection's thread. A call already running is not interrupted by task
    /// cancellation (it returns when its `BLOCK` ends); a queued one is skipped.
    public func run<T: Sendable>(_ body: @escaping @Sendable (RedisConnection) throws -> T) async throws -> T {
        guard !closed.load(ordering: .acquiring) else { throw RedisError.closed }
        do {
            return try await thread.runIfActive { [box] in
                try body(box.connection)
            }
        } catch is NIOThreadPoolError.ThreadPoolInactive {
            throw RedisError.closed
        }
    }

    /// Waits for the running call to finish, stops the thread and frees the connection.
    public func close() async {
        guard !closed.exchange(true, ordering: .acquiringAndReleasing) else { return }
        try? await thread.shutdownGracefully()
        box.connection.close()
    }
}

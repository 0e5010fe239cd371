import Logging
import NIOPosix
import Synchronization

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Follows `+switch-master` on one sentinel at a time (the first that accepts `SUBSCRIBE`, in the
/// resolver's order) and tells the ``SentinelResolver`` at once, so pooled connections to the old primary
/// are dropped before their next command instead of failing on it. Runs on a thread of its own.
final class SentinelWatcher: Sendable {
    private let resolver: SentinelResolver
    private let logger: Logger
    private let thread = NIOThreadPool(numberOfThreads: 1)
    /// The subscribed socket (-1 when none) and whether ``stop()`` was called.
    private let state = Mutex<(fd: Int32, stopped: Bool)>((-1, false))

    init(resolver: SentinelResolver, logger: Logger) {
        self.resolver = resolver
        self.logger = logger
        thread.start()
        thread.submit { [self] _ in watch() }
    }

    /// Wakes the blocked read and waits for the thread to end.
    func stop() async {
        state.withLock { state in
            state.stopped = true
            if state.fd >= 0 { _ = shutdown(state.fd, Int32(SHUT_RDWR)) }
        }
        try? await thread.shutdownGracefully()
    }

    /// As ``stop()``, without waiting (for a client dropped without ``RedisClient/shutdown()``).
    func stopSoon() {
        state.withLock { state in
            state.stopped = true
            if state.fd >= 0 { _ = shutdown(state.fd, Int32(SHUT_RDWR)) }
        }
        thread.shutdownGracefully { _ in }
    }

    private var isStopped: Bool { state.withLock { $0.stopped } }

    private func watch() {
        var failures = 0
        while !isStopped {
            var subscribed = false
            for sentinel in resolver.configuration.sentinels where !isStopped {
                if follow(sentinel) { subscribed = true }
            }
            failures = subscribed ? 0 : failures + 1
            pause(.milliseconds(min(100 << min(failures, 4), 1_000)))
        }
    }

    /// Subscribes on `sentinel` and handles messages until the connection ends; true if it subscribed.
    private func follow(_ sentinel: RedisEndpoint) -> Bool {
        let context: HiredisContext
        do {
            context = try resolver.connect(to: sentinel, readTimeout: .seconds(60))
            let registered = state.withLock { state -> Bool in
                guard !state.stopped else { return false }
                state.fd = context.fileDescriptor
                return true
            }
            guard registered else { return false }
        } catch {
            return false
        }
        defer {
            state.withLock { $0.fd = -1 }
            withExtendedLifetime(context) {}
        }
        do {
            let reply = try context.command(ArgvStorage(strings: ["SUBSCRIBE", "+switch-master"]))
            guard reply.array?.first?.string == "subscribe" else { return false }
            while !isStopped {
                let message = try context.readReply()
                guard let parts = message.array, parts.count == 3, parts[0].string == "message",
                      let text = parts[2].string else { continue }
                handle(text)
            }
        } catch {
            if !isStopped {
                logger.debug("sentinel subscription ended", metadata: ["redis.sentinel": "\(sentinel)", "error": "\(error)"])
            }
        }
        return true
    }

    /// `+switch-master` carries `<master-name> <old-ip> <old-port> <new-ip> <new-port>`.
    private func handle(_ text: String) {
        let fields = text.split(separator: " ")
        guard fields.count == 5, fields[0] == resolver.configuration.masterName, let port = Int(fields[4]) else { return }
        let primary = RedisEndpoint(host: String(fields[3]), port: port)
        logger.info("sentinel announced a new redis primary", metadata: [
            "redis.old": "\(fields[1]):\(fields[2])", "redis.new": "\(primary)",
        ])
        resolver.announce(primary)
    }

    /// Sleeps in short steps so ``stop()`` is not kept waiting.
    private func pause(_ duration: Duration) {
        let deadline = ContinuousClock.now + duration
        while !isStopped, ContinuousClock.now < deadline {
            var request = timespec(tv_sec: 0, tv_nsec: 20_000_000)
            nanosleep(&request, nil)
        }
    }
}

import Logging

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// One synchronous Redis connection over hiredis. Not `Sendable`: use it from one thread at a time,
/// and never from Swift's cooperative pool (every call may block; see ``RedisClient``).
///
/// Connects lazily (TCP, timeouts, keepalive, `AUTH`, `SELECT`). After any connection error the
/// hiredis context is freed and the error thrown; the next call reconnects, waiting with exponential
/// backoff (50 ms doubling to 2 s) after failed attempts. Commands are never retried automatically.
/// Error replies (`-ERR …`) are returned as ``RedisReply/error(_:)`` and leave the connection usable.
///
/// hiredis writes with plain `write()`: the process must ignore `SIGPIPE`.
public final class RedisConnection {
    /// Where this connection goes.
    public let configuration: RedisConfiguration
    private let logger: Logger
    private var context: HiredisContext?
    private var backoff = ReconnectBackoff()
    private var cachedClientID: Int64?
    private var wasConnected = false
    private var isClosed = false

    /// Creates an unconnected connection; it connects on first use.
    public init(configuration: RedisConfiguration, logger: Logger = Logger(label: "kefu.redis")) {
        self.configuration = configuration
        self.logger = logger
    }

    deinit {
        context = nil
    }

    /// True while a live hiredis context is held.
    public var isConnected: Bool { context != nil }

    /// Number of consecutive failed connect attempts since the last success.
    public var consecutiveConnectFailures: Int { backoff.consecutiveFailures }

    /// Connects now if not connected (waiting out any backoff first).
    public func connect() throws(RedisError) {
        _ = try liveContext()
    }

    /// Sends one command of text arguments and returns its reply (error replies included).
    public func command(_ arguments: [String]) throws(RedisError) -> RedisReply {
        try run { (context) throws(RedisError) in try context.command(ArgvStorage(strings: arguments)) }
    }

    /// Sends one command of binary arguments and returns its reply (error replies included).
    public func command(_ arguments: [[UInt8]]) throws(RedisError) -> RedisReply {
        try run { (context) throws(RedisError) in try context.command(ArgvStorage(binary: arguments)) }
    }

    /// Writes all commands in one go, then reads their replies in order. Error replies stay in place.
    public func pipeline(_ commands: [[String]]) throws(RedisError) -> [RedisReply] {
        try run { (context) throws(RedisError) in try context.pipeline(commands.map { ArgvStorage(strings: $0) }) }
    }

    /// Binary variant of ``pipeline(_:)-([[String]])``.
    public func pipeline(_ commands: [[[UInt8]]]) throws(RedisError) -> [RedisReply] {
        try run { (context) throws(RedisError) in try context.pipeline(commands.map { ArgvStorage(binary: $0) }) }
    }

    /// The server-side id of this connection (`CLIENT ID`), cached until the next reconnect.
    /// Another connection can wake a blocked read with `CLIENT UNBLOCK <id>`.
    public func clientID() throws(RedisError) -> Int64 {
        _ = try liveContext()
        if let cachedClientID { return cachedClientID }
        let reply = try command(["CLIENT", "ID"]).throwingOnError()
        guard let id = reply.int else {
            throw .protocolViolation("CLIENT ID did not return an integer")
        }
        cachedClientID = id
        return id
    }

    /// Frees the hiredis context; later calls throw ``RedisError/closed``.
    public func close() {
        isClosed = true
        context = nil
        cachedClientID = nil
    }

    /// Drops the current context (if any) so the next call reconnects.
    public func disconnect() {
        context = nil
        cachedClientID = nil
    }

    private func run<R>(_ body: (HiredisContext) throws(RedisError) -> R) throws(RedisError) -> R {
        let context = try liveContext()
        do {
            return try body(context)
        } catch let error where error.isConnectionError {
            if self.context === context {
                disconnect()
            }
            throw error
        }
    }

    private func liveContext() throws(RedisError) -> HiredisContext {
        if isClosed { throw .closed }
        if let context { return context }
        let wait = backoff.delay()
        if wait > .zero {
            Self.sleep(wait)
        }
        do {
            let context = try HiredisContext.connect(configuration)
            try Self.handshake(context, configuration)
            if wasConnected || backoff.consecutiveFailures > 0 {
                logger.info("redis connected", metadata: [
                    "redis.target": "\(configuration.host):\(configuration.port)",
                    "redis.attempts": "\(backoff.consecutiveFailures + 1)",
                ])
            }
            backoff.recordSuccess()
            wasConnected = true
            self.context = context
            return context
        } catch {
            backoff.recordFailure()
            throw error
        }
    }

    private static func handshake(_ context: HiredisContext, _ configuration: RedisConfiguration) throws(RedisError) {
        if let password = configuration.password {
            var arguments = ["AUTH"]
            if let username = configuration.username { arguments.append(username) }
            arguments.append(password)
            if case .error(let message) = try context.command(ArgvStorage(strings: arguments)) {
                throw .authenticationFailed(message)
            }
        }
        if configuration.database != 0 {
            let reply = try context.command(ArgvStorage(strings: ["SELECT", String(configuration.database)]))
            if case .error(let message) = reply {
                throw .connectionFailed("SELECT \(configuration.database) refused: \(message)")
            }
        }
    }

    private static func sleep(_ duration: Duration) {
        var request = timespec(duration)
        var remaining = timespec()
        while nanosleep(&request, &remaining) == -1 && errno == EINTR {
            request = remaining
        }
    }
}

extension timespec {
    init(_ duration: Duration) {
        let (seconds, attoseconds) = duration.components
        self.init(tv_sec: Int(max(0, seconds)), tv_nsec: Int(max(0, attoseconds / 1_000_000_000)))
    }
}

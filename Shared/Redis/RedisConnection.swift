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
/// With Sentinel (``RedisConfiguration/sentinel``), every connect asks the sentinels for the primary and
/// checks with `ROLE` that it is one; a `-READONLY`, `-MASTERDOWN` or `-LOADING` reply drops the connection
/// and is thrown as ``RedisError/connectionLost(_:)``, and a connection to a primary that another
/// connection has seen replaced is dropped before its next command. So nothing is ever written to a replica.
///
/// With Cluster (``RedisConfiguration/cluster``), each command goes to the master serving its key's slot,
/// following `MOVED`/`ASK` and retrying `-CLUSTERDOWN`/`-TRYAGAIN` (see ``ClusterTopology``); pipelines are
/// split per master and their replies returned in order.
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
    private let resolver: SentinelResolver?
    private var connectedPrimary: RedisEndpoint?
    private let cluster: ClusterConnection?

    /// Creates an unconnected connection; it connects on first use.
    public convenience init(configuration: RedisConfiguration, logger: Logger = Logger(label: "kefu.redis")) {
        self.init(configuration: configuration, logger: logger, resolver: nil)
    }

    /// Creates an unconnected connection that discovers the primary with `resolver` (shared by the
    /// connections of one client); with Sentinel configured and no resolver, it makes its own.
    public convenience init(configuration: RedisConfiguration, logger: Logger = Logger(label: "kefu.redis"), resolver: SentinelResolver?) {
        self.init(configuration: configuration, logger: logger, resolver: resolver, topology: nil)
    }

    /// Creates an unconnected connection; with Cluster configured it routes by slot through `topology`
    /// (shared by the connections of one client), or a topology of its own when nil.
    public init(
        configuration: RedisConfiguration, logger: Logger = Logger(label: "kefu.redis"),
        resolver: SentinelResolver?, topology: ClusterTopology?
    ) {
        self.configuration = configuration
        self.logger = logger
        if configuration.cluster != nil {
            self.cluster = ClusterConnection(
                configuration: configuration, topology: topology ?? ClusterTopology(configuration: configuration),
                logger: logger)
        } else {
            self.cluster = nil
        }
        if let sentinel = configuration.sentinel {
            self.resolver = resolver ?? SentinelResolver(configuration: sentinel)
        } else {
            self.resolver = nil
        }
    }

    deinit {
        context = nil
    }

    /// True while a live hiredis context is held.
    public var isConnected: Bool { cluster?.isConnected ?? (context != nil) }

    /// Number of consecutive failed connect attempts since the last success.
    public var consecutiveConnectFailures: Int { backoff.consecutiveFailures }

    /// Connects now if not connected (waiting out any backoff first).
    public func connect() throws(RedisError) {
        if let cluster { return try cluster.connect() }
        _ = try liveContext()
    }

    /// Sends one command of text arguments and returns its reply (error replies included).
    public func command(_ arguments: [String]) throws(RedisError) -> RedisReply {
        if let cluster { return try cluster.command(arguments.map { Array($0.utf8) }) }
        return try checked(run { (context) throws(RedisError) in try context.command(ArgvStorage(strings: arguments)) })
    }

    /// Sends one command of binary arguments and returns its reply (error replies included).
    public func command(_ arguments: [[UInt8]]) throws(RedisError) -> RedisReply {
        if let cluster { return try cluster.command(arguments) }
        return try checked(run { (context) throws(RedisError) in try context.command(ArgvStorage(binary: arguments)) })
    }

    /// Writes all commands in one go, then reads their replies in order. Error replies stay in place.
    public func pipeline(_ commands: [[String]]) throws(RedisError) -> [RedisReply] {
        if let cluster { return try cluster.pipeline(commands.map { $0.map { Array($0.utf8) } }) }
        return try checked(run { (context) throws(RedisError) in try context.pipeline(commands.map { ArgvStorage(strings: $0) }) })
    }

    /// Binary variant of ``pipeline(_:)-([[String]])``.
    public func pipeline(_ commands: [[[UInt8]]]) throws(RedisError) -> [RedisReply] {
        if let cluster { return try cluster.pipeline(commands) }
        return try checked(run { (context) throws(RedisError) in try context.pipeline(commands.map { ArgvStorage(binary: $0) }) })
    }

    /// The server-side id of this connection (`CLIENT ID`), cached until the next reconnect.
    /// Another connection can wake a blocked read with `CLIENT UNBLOCK <id>`.
    ///
    /// On a Cluster: the id on the master that served the last command (where a blocked read of one
    /// stream waits); `CLIENT UNBLOCK` sent through a cluster connection goes to every master.
    public func clientID() throws(RedisError) -> Int64 {
        if let cluster { return try cluster.clientID() }
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
        cluster?.close()
        isClosed = true
        context = nil
        cachedClientID = nil
    }

    /// Drops the current context (if any) so the next call reconnects.
    public func disconnect() {
        cluster?.disconnect()
        context = nil
        cachedClientID = nil
        connectedPrimary = nil
    }

    /// The primary this connection is connected to, when it found it through Sentinel.
    public var primary: RedisEndpoint? { connectedPrimary }

    private func checked(_ reply: RedisReply) throws(RedisError) -> RedisReply {
        _ = try checked([reply])
        return reply
    }

    private func checked(_ replies: [RedisReply]) throws(RedisError) -> [RedisReply] {
        guard let resolver else { return replies }
        for reply in replies {
            guard let message = reply.errorMessage, Self.isFailoverError(message) else { continue }
            if let connectedPrimary { resolver.invalidate(connectedPrimary) }
            let target = connectedPrimary.map { "\($0)" } ?? "the server"
            disconnect()
            throw .connectionLost("\(target) is not a writable primary (\(message.prefix { $0 != " " })); the next attempt asks the sentinels again")
        }
        return replies
    }

    /// Error replies that mean the server is not (or not yet) a usable primary.
    static func isFailoverError(_ message: String) -> Bool {
        message.hasPrefix("READONLY") || message.hasPrefix("MASTERDOWN") || message.hasPrefix("LOADING")
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
        if let context {
            guard let resolver, let connectedPrimary, let known = resolver.knownPrimary, known != connectedPrimary else {
                return context
            }
            logger.info("redis primary changed; reconnecting", metadata: [
                "redis.old": "\(connectedPrimary)", "redis.new": "\(known)",
            ])
            disconnect()
        }
        let wait = backoff.delay()
        if wait > .zero {
            Self.sleep(wait)
        }
        do {
            var target = configuration
            var primary: RedisEndpoint?
            if let resolver {
                let endpoint = try resolver.resolve()
                target = configuration.direct(to: endpoint)
                primary = endpoint
            }
            let context = try HiredisContext.connect(target)
            try Self.handshake(context, target)
            if let resolver, let primary {
                try Self.verifyPrimary(context, primary)
                resolver.confirm(primary)
                connectedPrimary = primary
            }
            if wasConnected || backoff.consecutiveFailures > 0 {
                logger.info("redis connected", metadata: [
                    "redis.target": "\(target.host):\(target.port)",
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

    static func handshake(_ context: HiredisContext, _ configuration: RedisConfiguration) throws(RedisError) {
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

    /// Sentinel may still name a primary that was demoted or is being failed over: `ROLE` must say `master`.
    private static func verifyPrimary(_ context: HiredisContext, _ endpoint: RedisEndpoint) throws(RedisError) {
        let reply = try context.command(ArgvStorage(strings: ["ROLE"]))
        let role = reply.array?.first?.string ?? reply.errorMessage ?? "unknown"
        guard role == "master" else {
            throw .connectionFailed("\(endpoint) named by the sentinels reports role '\(role)', not master; failover in progress?")
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

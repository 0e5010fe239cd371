import Synchronization

/// Finds the Redis primary through Redis Sentinel, following the Sentinel client guidelines: ask each
/// sentinel in turn `SENTINEL get-master-addr-by-name` (short timeouts, the last one that answered first),
/// then the connection checks with `ROLE` that the address really is a primary.
///
/// Shared by every connection of one ``RedisClient``: it remembers the primary last confirmed, so when one
/// connection (or the `+switch-master` watcher) learns of a failover, the others drop their connection to
/// the old primary before their next command. Blocking: call it off Swift's cooperative pool.
public final class SentinelResolver: Sendable {
    /// The Sentinel settings this resolver uses.
    public let configuration: RedisSentinelConfiguration
    private let connectTimeout: Duration
    private let state: Mutex<State>

    private struct State {
        var order: [RedisEndpoint]
        var primary: RedisEndpoint?
    }

    /// Creates a resolver; no sentinel is contacted until ``resolve()``.
    public init(configuration: RedisSentinelConfiguration, connectTimeout: Duration = .milliseconds(500)) {
        self.configuration = configuration
        self.connectTimeout = connectTimeout
        self.state = Mutex(State(order: configuration.sentinels, primary: nil))
    }

    /// The primary last confirmed by a connection or announced by `+switch-master`, if any.
    public var knownPrimary: RedisEndpoint? {
        state.withLock { $0.primary }
    }

    /// Asks the sentinels, in order, for the primary's address.
    ///
    /// - Throws: ``RedisError/connectionFailed(_:)`` when no sentinel answered with an address; the
    ///   message lists what each sentinel said.
    public func resolve() throws(RedisError) -> RedisEndpoint {
        let order = state.withLock { $0.order }
        var problems: [String] = []
        for sentinel in order {
            do {
                let endpoint = try ask(sentinel)
                state.withLock { state in
                    if let index = state.order.firstIndex(of: sentinel), index > 0 {
                        state.order.remove(at: index)
                        state.order.insert(sentinel, at: 0)
                    }
                }
                return endpoint
            } catch {
                problems.append("\(sentinel): \(Self.reason(error))")
            }
        }
        throw .connectionFailed(
            "no sentinel gave the address of master '\(configuration.masterName)' (\(problems.joined(separator: "; ")))")
    }

    /// Records the primary a connection has just verified with `ROLE`.
    func confirm(_ endpoint: RedisEndpoint) {
        state.withLock { $0.primary = endpoint }
    }

    /// Records a primary announced by a sentinel's `+switch-master` message.
    func announce(_ endpoint: RedisEndpoint) {
        state.withLock { $0.primary = endpoint }
    }

    /// Forgets `endpoint` as the primary (it refused a write or went away).
    func invalidate(_ endpoint: RedisEndpoint) {
        state.withLock { state in
            if state.primary == endpoint { state.primary = nil }
        }
    }

    /// Opens an authenticated connection to one sentinel (for `SENTINEL` commands or `SUBSCRIBE`).
    func connect(to sentinel: RedisEndpoint, readTimeout: Duration) throws(RedisError) -> HiredisContext {
        var target = RedisConfiguration(host: sentinel.host, port: sentinel.port)
        target.connectTimeout = connectTimeout
        target.readTimeout = readTimeout
        let context = try HiredisContext.connect(target)
        if let password = configuration.password {
            var arguments = ["AUTH"]
            if let username = configuration.username { arguments.append(username) }
            arguments.append(password)
            if case .error(let message) = try context.command(ArgvStorage(strings: arguments)) {
                throw .authenticationFailed("sentinel \(sentinel): \(message)")
            }
        }
        return context
    }

    private func ask(_ sentinel: RedisEndpoint) throws(RedisError) -> RedisEndpoint {
        let context = try connect(to: sentinel, readTimeout: .seconds(1))
        let reply = try context.command(
            ArgvStorage(strings: ["SENTINEL", "get-master-addr-by-name", configuration.masterName]))
        switch reply {
        case .null:
            throw .server("does not monitor a master named '\(configuration.masterName)'")
        case .error(let message):
            throw .server(message)
        default:
            guard let parts = reply.array, parts.count == 2, let host = parts[0].string,
                  let port = parts[1].int, (1...65_535).contains(port) else {
                throw .protocolViolation("SENTINEL get-master-addr-by-name did not return [host, port]")
            }
            return RedisEndpoint(host: host, port: Int(port))
        }
    }

    private static func reason(_ error: RedisError) -> String {
        switch error {
        case .connectionFailed(let text), .connectionLost(let text), .authenticationFailed(let text),
             .server(let text), .protocolViolation(let text), .invalidURL(let text), .cluster(let text):
            return text
        case .closed:
            return "closed"
        }
    }
}

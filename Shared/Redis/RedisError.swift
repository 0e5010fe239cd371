/// Errors raised by the Redis wrapper. Messages name the problem and what to check; they never
/// contain a password.
public enum RedisError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The Redis URL could not be parsed; the associated text names the part that is wrong.
    case invalidURL(String)
    /// A connection could not be opened (DNS, refused, connect timeout).
    case connectionFailed(String)
    /// An open connection broke (peer closed it, read or write timed out, I/O error).
    /// The connection reconnects on its next use.
    case connectionLost(String)
    /// `AUTH` was refused: wrong user name or password.
    case authenticationFailed(String)
    /// The server answered with an error reply (`-ERR …`, `-NOGROUP …`).
    case server(String)
    /// The reply did not have the shape the caller expected.
    case protocolViolation(String)
    /// The client or connection was closed by its owner.
    case closed
    /// A Redis Cluster cannot serve the command: slots without a master, too many redirects, or
    /// `-CLUSTERDOWN`/`-TRYAGAIN` past the retry timeout. The text says which.
    case cluster(String)

    public var description: String {
        switch self {
        case .invalidURL(let reason):
            return "invalid Redis URL: \(reason) (expected redis://[[user]:password@]host[:port][/db] or redis+sentinel://[[user]:password@]host[:port][,host[:port]…]/master-name[/db][?sentinel_password=…] or redis+cluster://[[user]:password@]host[:port][,host[:port]…][?max_redirects=N&retry_timeout_ms=N])"
        case .connectionFailed(let reason):
            return "cannot connect to Redis: \(reason); check REDIS_URL and that the server is running"
        case .connectionLost(let reason):
            return "Redis connection lost: \(reason); it reconnects on next use"
        case .authenticationFailed(let reason):
            return "Redis authentication failed: \(reason); check the user and password in REDIS_URL"
        case .server(let message):
            return "Redis error reply: \(message)"
        case .protocolViolation(let reason):
            return "unexpected Redis reply: \(reason)"
        case .closed:
            return "Redis client is closed"
        case .cluster(let reason):
            return "Redis Cluster unavailable: \(reason)"
        }
    }

    /// True when the error means the connection is unusable (and will be replaced on next use).
    public var isConnectionError: Bool {
        switch self {
        case .connectionFailed, .connectionLost, .authenticationFailed: return true
        default: return false
        }
    }
}

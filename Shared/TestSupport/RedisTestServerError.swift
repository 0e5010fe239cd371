/// Why a test server could not be started.
public enum RedisTestServerError: Error, CustomStringConvertible {
    /// The reason, with what to install or check.
    case startFailed(String)

    public var description: String {
        switch self {
        case .startFailed(let reason): return "cannot start redis-server: \(reason)"
        }
    }
}

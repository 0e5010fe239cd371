/// A consumer setting out of range, naming the setting.
public enum StreamConfigurationError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The setting and what is wrong with it.
    case invalid(String, String)

    public var description: String {
        switch self {
        case .invalid(let key, let problem): return "stream consumer setting \(key) \(problem)"
        }
    }
}

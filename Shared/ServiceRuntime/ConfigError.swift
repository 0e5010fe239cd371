/// A configuration problem found at start, before any socket opens.
///
/// Every case names the environment variable so an operator can fix it; values of secret
/// variables are never echoed.
public enum ConfigError: Error, CustomStringConvertible, Equatable {
    /// A required variable is not set.
    case missing(variable: String)
    /// A variable is set to something unusable.
    case invalid(variable: String, value: String, reason: String)

    public var description: String {
        switch self {
        case .missing(let variable):
            return "configuration error: \(variable) is not set"
        case .invalid(let variable, let value, let reason):
            return "configuration error: \(variable)=\(value.isEmpty ? "''" : value) is invalid: \(reason)"
        }
    }
}

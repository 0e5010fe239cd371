/// A refusal of a query: a stable code from `docs/queries.md` and a sentence a person can act on.
public struct QueryFailure: Error, Sendable, Equatable, CustomStringConvertible {
    /// The code, e.g. `invalid_params`.
    public let code: String
    /// What is wrong and what to do.
    public let message: String

    /// Creates a refusal.
    public init(_ code: String, _ message: String) {
        self.code = code
        self.message = message
    }

    /// A malformed or out-of-range parameter.
    public static func invalidParams(_ message: String) -> QueryFailure {
        QueryFailure("invalid_params", message)
    }

    /// The actor may not run this query.
    public static func forbidden(_ message: String) -> QueryFailure {
        QueryFailure("forbidden", message)
    }

    public var description: String { "\(code): \(message)" }
}

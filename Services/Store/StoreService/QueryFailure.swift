/// A refusal to answer a query, sent back as `reply.result` with `ok: false`.
///
/// Codes follow docs/queries.md: the gateway maps them to HTTP statuses (`invalid_*` 400, `forbidden`
/// 403, `unknown_*` 404, `payload_too_large` 413).
struct QueryFailure: Error, Equatable, CustomStringConvertible {
    /// The stable code, e.g. `unknown_session`.
    let code: String
    /// A sentence a person can act on (at most 500 characters).
    let message: String

    var description: String { "\(code): \(message)" }

    /// The parameters are malformed or break a rule.
    static func invalidParams(_ message: String) -> QueryFailure {
        QueryFailure(code: "invalid_params", message: message)
    }

    /// The actor may not do this.
    static func forbidden(_ message: String) -> QueryFailure {
        QueryFailure(code: "forbidden", message: message)
    }

    /// No such session, or (for visitors) not theirs: the two answers are the same so existence does not leak.
    static let unknownSession = QueryFailure(code: "unknown_session", message: "no such session")

    /// No such image, or (for visitors) not theirs.
    static let unknownImage = QueryFailure(code: "unknown_image", message: "no such image")

    /// No such file, or (for visitors) not theirs.
    static let unknownFile = QueryFailure(code: "unknown_file", message: "no such file")

    /// The query name is not one the store answers.
    static func unknownQuery(_ name: String) -> QueryFailure {
        QueryFailure(
            code: "unknown_query",
            message: "the store answers history.page, sessions.by_visitor, image.put, image.get, file.put and file.get, not \(name)")
    }
}

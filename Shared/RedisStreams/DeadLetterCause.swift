/// An error from ``StreamHandler/decode(_:)`` that knows how to explain itself in a dead letter.
///
/// The consumer writes ``deadLetterReason`` as the entry's `dead.reason`, which the stream contract shapes
/// as `<code>: <message>` with a documented code. Other errors are written as `undecodable: <error>`.
public protocol DeadLetterCause: Error {
    /// `<code>: <message>`, e.g. `not_json: entry is not a JSON object (…)`.
    var deadLetterReason: String { get }
}

/// The `dead.reason` written for an entry whose decoding threw `error`.
func deadLetterReason(for error: any Error) -> String {
    (error as? any DeadLetterCause)?.deadLetterReason ?? "undecodable: \(error)"
}

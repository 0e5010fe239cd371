/// `reply.result` v1 (the request's `reply_to`): the answer to a `query.request`, or to any command that
/// carried `reply_to`.
///
/// `ok: true` with an optional `result`; or `ok: false` with a stable `code` (e.g. `unknown_session`,
/// `agent_full`, `rating_repeated`) and a `message` a person can act on. The gateway maps codes to HTTP
/// statuses.
public struct ReplyResult: EventPayload {
    /// The entry type.
    public static let eventType = EventType.replyResult
    /// The data version.
    public static let version = 1

    /// Whether the request succeeded.
    public var ok: Bool
    /// Why it failed, `^[a-z][a-z0-9_]{0,63}$`; present exactly when `ok` is false.
    public var code: String?
    /// A sentence for people; required when `ok` is false.
    public var message: String?
    /// The answer.
    public var result: JSONValue?

    /// Creates the payload.
    public init(ok: Bool, code: String? = nil, message: String? = nil, result: JSONValue? = nil) {
        self.ok = ok
        self.code = code
        self.message = message
        self.result = result
    }

    /// A success.
    public static func success(_ result: JSONValue? = nil) -> ReplyResult {
        ReplyResult(ok: true, result: result)
    }

    /// A refusal with a code and a message.
    public static func failure(code: String, message: String) -> ReplyResult {
        ReplyResult(ok: false, code: code, message: message)
    }

    /// Checks that `code` and `message` go with `ok: false`.
    public func validate() throws(ContractError) {
        if ok {
            if code != nil { throw .invalidField("code", reason: "must be absent when `ok` is true") }
        } else {
            guard let code else { throw .missingField("code") }
            guard let message else { throw .missingField("message") }
            try FieldRules.code(code, field: "code")
            try FieldRules.text(message, field: "message", maxLength: FieldRules.maxNoteLength)
        }
        if let message, ok { try FieldRules.text(message, field: "message", maxLength: FieldRules.maxNoteLength) }
    }
}

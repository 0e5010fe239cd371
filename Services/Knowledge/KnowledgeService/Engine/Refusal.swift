/// A request knowledge refuses: nothing it did is kept, and the asker gets `{ ok: false, code, message }`.
struct Refusal: Error, Sendable, Equatable, CustomStringConvertible {
    /// The codes knowledge answers with (`docs/queries.md`; the gateway maps them to HTTP statuses).
    enum Code: String, Sendable {
        case invalidParams = "invalid_params"
        case invalidImport = "invalid_import"
        case forbidden
        case unknownQuery = "unknown_query"
        case unknownEntry = "unknown_entry"
        case unknownCategory = "unknown_category"
        case unknownSession = "unknown_session"
        case unknownQuickReply = "unknown_quick_reply"
        case unknownQuestion = "unknown_question"
        case unknownWord = "unknown_word"
        case unknownSynonym = "unknown_synonym"
        case notYourSession = "not_your_session"
        case versionConflict = "version_conflict"
        case duplicateKeyword = "duplicate_keyword"
        case duplicateQuestion = "duplicate_question"
        case duplicateCategory = "duplicate_category"
        case duplicateWord = "duplicate_word"
        case duplicateSynonym = "duplicate_synonym"
        case payloadTooLarge = "payload_too_large"
    }

    /// The code.
    var code: Code
    /// A sentence a person can act on.
    var message: String

    init(_ code: Code, _ message: String) {
        self.code = code
        self.message = message
    }

    var description: String { "\(code.rawValue): \(message)" }
}

/// Why an entry, a name or a payload breaks the stream contract.
///
/// Every case renders an actionable message through ``description`` and a stable machine code through
/// ``code`` (use the code in metrics and in the `dead.reason` field of dead letters).
public enum ContractError: Error, Sendable, Hashable, CustomStringConvertible {
    /// The bytes are not a UTF-8 JSON object.
    case notJSON(detail: String)
    /// The entry is larger than ``EnvelopeCodec/maxEntryBytes``.
    case tooLarge(bytes: Int, limit: Int)
    /// A required field is absent; the associated value is its path, e.g. `data.text`.
    case missingField(String)
    /// A field is present but breaks a rule; `field` is its path, `reason` says what is expected.
    case invalidField(String, reason: String)
    /// A field that must hold a UUID holds something else.
    case notAUUID(field: String, value: String)
    /// The envelope's `type` is not one this build knows.
    case unknownType(String)
    /// The envelope's `version` is not supported for its type.
    case unsupportedVersion(type: String, version: Int, supported: [Int])
    /// The entry was decoded as one payload type but carries another.
    case wrongType(expected: String, actual: String)
    /// A stream prefix, instance or group name is malformed.
    case invalidName(String, reason: String)
    /// A JSON object repeats a key; the associated value is the repeated field's path.
    case duplicateKey(String)
    /// The stream entry has fields besides its one `event` field (or `event` twice); the names, in order.
    case extraEntryFields([String])

    /// A stable snake_case code for this kind of error.
    public var code: String {
        switch self {
        case .notJSON: "not_json"
        case .tooLarge: "too_large"
        case .missingField: "missing_field"
        case .invalidField: "invalid_field"
        case .notAUUID: "not_a_uuid"
        case .unknownType: "unknown_type"
        case .unsupportedVersion: "unsupported_version"
        case .wrongType: "wrong_type"
        case .invalidName: "invalid_name"
        case .duplicateKey: "duplicate_key"
        case .extraEntryFields: "extra_field"
        }
    }

    /// A message that says what is wrong and what to send instead.
    public var description: String {
        switch self {
        case .notJSON(let detail):
            "entry is not a JSON object (\(detail)); the stream field `event` must hold a UTF-8 JSON envelope"
        case .tooLarge(let bytes, let limit):
            "entry is \(bytes) bytes, the limit is \(limit); shorten the text or send images by reference"
        case .missingField(let field):
            "missing required field `\(field)`"
        case .invalidField(let field, let reason):
            "field `\(field)` is invalid: \(reason)"
        case .notAUUID(let field, let value):
            "field `\(field)` is not a UUID: '\(value)'; use the 8-4-4-4-12 hex form, e.g. 0f8fad5b-d9cb-469f-a165-70867728950e"
        case .unknownType(let type):
            "unknown type '\(type)'; known types: \(EventType.allCases.map(\.rawValue).joined(separator: ", "))"
        case .unsupportedVersion(let type, let version, let supported):
            "unsupported version \(version) for type \(type); supported: \(supported.map(String.init).joined(separator: ", "))"
        case .wrongType(let expected, let actual):
            "expected an entry of type \(expected), got \(actual)"
        case .invalidName(let name, let reason):
            "invalid name '\(name)': \(reason)"
        case .duplicateKey(let field):
            "field `\(field)` appears more than once in its object; send each key once"
        case .extraEntryFields(let names):
            "the entry has fields \(names.map { "`\($0)`" }.joined(separator: ", ")) besides its one `event` field; "
                + "put everything in the envelope"
        }
    }

    /// The same error with field paths placed under `prefix` (e.g. `stars` becomes `data.stars`).
    func nested(under prefix: String) -> ContractError {
        switch self {
        case .missingField(let field): .missingField(prefix + "." + field)
        case .invalidField(let field, let reason): .invalidField(prefix + "." + field, reason: reason)
        case .notAUUID(let field, let value): .notAUUID(field: prefix + "." + field, value: value)
        case .duplicateKey(let field): .duplicateKey(prefix + "." + field)
        default: self
        }
    }
}

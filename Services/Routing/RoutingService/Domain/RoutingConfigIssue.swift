/// One problem found in routing configuration, with the JSON field path it refers to.
///
/// `fieldPath` uses dots for object keys and `[n]` for array indexes, e.g.
/// `service_hours.weekly.mon[0].start` or `channels.web-pc.transfer_keywords[2]`.
public struct RoutingConfigIssue: Error, Equatable, Hashable, Sendable, CustomStringConvertible {
    /// Machine-readable reason for an issue; raw values are stable snake_case strings.
    public enum Code: String, Sendable, Equatable, Hashable, CaseIterable {
        case invalidJSON = "invalid_json"
        case unknownKey = "unknown_key"
        case typeMismatch = "type_mismatch"
        case missingValue = "missing_value"
        case invalidFormat = "invalid_format"
        case invalidTimezone = "invalid_timezone"
        case invalidWindow = "invalid_window"
        case duplicateDate = "duplicate_date"
        case conflictingOverride = "conflicting_override"
        case invalidChannelName = "invalid_channel_name"
        case invalidTemplate = "invalid_template"
        case outOfRange = "out_of_range"
        case tooLong = "too_long"
        case tooMany = "too_many"
        case empty = "empty"
        case invalidGroupName = "invalid_group_name"
        case unknownGroup = "unknown_group"
        case overflowCycle = "overflow_cycle"
        case duplicateKeyword = "duplicate_keyword"
    }

    /// Path of the offending field, e.g. `queue.max_length`; empty for the whole document.
    public let fieldPath: String
    /// Reason code.
    public let code: Code
    /// Human-readable explanation telling the admin what to change.
    public let message: String

    /// Creates an issue.
    public init(fieldPath: String, code: Code, message: String) {
        self.fieldPath = fieldPath
        self.code = code
        self.message = message
    }

    public var description: String {
        "\(fieldPath.isEmpty ? "(document)" : fieldPath): \(message) [\(code.rawValue)]"
    }
}

/// Helpers to build field paths.
enum RoutingFieldPath {
    /// Appends an object key: `join("queue", "max_length")` → `queue.max_length`.
    static func join(_ base: String, _ key: String) -> String {
        base.isEmpty ? key : "\(base).\(key)"
    }

    /// Appends an array index: `index("a", 2)` → `a[2]`.
    static func index(_ base: String, _ position: Int) -> String {
        "\(base)[\(position)]"
    }

    /// Renders a `CodingKey` path in the same notation.
    static func render(_ path: [any CodingKey]) -> String {
        var result = ""
        for key in path {
            if let position = key.intValue {
                result = index(result, position)
            } else {
                result = join(result, key.stringValue)
            }
        }
        return result
    }
}

import Foundation
import KefuModel

/// A query's `params` with typed accessors that refuse with `invalid_params` naming the parameter.
struct Params: Sendable {
    let values: [String: JSONValue]

    init(_ values: [String: JSONValue]) {
        self.values = values
    }

    /// Whether `key` is present (even as `null`).
    func has(_ key: String) -> Bool { values[key] != nil }

    /// Whether `key` is present as `null` (meaning "clear it" for optional fields).
    func isNull(_ key: String) -> Bool { values[key] == .null }

    /// An optional string.
    func string(_ key: String) throws -> String? {
        guard let value = values[key], value != .null else { return nil }
        guard let text = value.stringValue else { throw Refusal(.invalidParams, "`\(key)` must be a string") }
        return text
    }

    /// A required string.
    func requiredString(_ key: String) throws -> String {
        guard let text = try string(key) else { throw Refusal(.invalidParams, "`\(key)` is required") }
        return text
    }

    /// An optional boolean.
    func bool(_ key: String) throws -> Bool? {
        guard let value = values[key], value != .null else { return nil }
        guard case .bool(let flag) = value else { throw Refusal(.invalidParams, "`\(key)` must be true or false") }
        return flag
    }

    /// An optional integer within `range`.
    func int(_ key: String, in range: ClosedRange<Int>) throws -> Int? {
        guard let value = values[key], value != .null else { return nil }
        guard let number = value.intValue, range.contains(number) else {
            throw Refusal(.invalidParams, "`\(key)` must be an integer from \(range.lowerBound) to \(range.upperBound)")
        }
        return number
    }

    /// An optional UUID.
    func uuid(_ key: String) throws -> UUID? {
        guard let text = try string(key) else { return nil }
        guard let uuid = UUID(uuidString: text) else { throw Refusal(.invalidParams, "`\(key)` must be a UUID") }
        return uuid
    }

    /// A required UUID.
    func requiredUUID(_ key: String) throws -> UUID {
        guard let uuid = try uuid(key) else { throw Refusal(.invalidParams, "`\(key)` is required") }
        return uuid
    }

    /// An optional array of strings.
    func strings(_ key: String) throws -> [String]? {
        guard let value = values[key], value != .null else { return nil }
        guard case .array(let items) = value else { throw Refusal(.invalidParams, "`\(key)` must be an array of strings") }
        return try items.map { item in
            guard let text = item.stringValue else { throw Refusal(.invalidParams, "`\(key)` must be an array of strings") }
            return text
        }
    }

    /// A required array of UUIDs.
    func requiredUUIDs(_ key: String) throws -> [UUID] {
        guard let items = try strings(key) else { throw Refusal(.invalidParams, "`\(key)` is required") }
        return try items.map { text in
            guard let uuid = UUID(uuidString: text) else { throw Refusal(.invalidParams, "`\(key)` must hold UUIDs") }
            return uuid
        }
    }

    /// `limit`: 1–200, default 50.
    func limit() throws -> Int {
        try int("limit", in: 1...200) ?? 50
    }
}

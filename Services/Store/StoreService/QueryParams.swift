import Foundation
import KefuModel

/// Typed access to a query's `params` object; every problem is an `invalid_params` refusal naming the field.
struct QueryParams {
    /// The largest page a query returns.
    static let maxLimit = 200
    /// The page size when `limit` is absent.
    static let defaultLimit = 50

    let values: [String: JSONValue]

    init(_ params: JSONValue) {
        values = params.objectValue ?? [:]
    }

    /// A required UUID.
    func uuid(_ name: String) throws(QueryFailure) -> UUID {
        guard let value = values[name] else { throw .invalidParams("params.\(name) is required") }
        guard let text = value.stringValue, let uuid = UUID(uuidString: text) else {
            throw .invalidParams("params.\(name) must be a UUID such as 3f2c8a4e-6b1d-4c8e-9a7f-2d5e8b1c4a90")
        }
        return uuid
    }

    /// A required string.
    func string(_ name: String) throws(QueryFailure) -> String {
        guard let value = values[name] else { throw .invalidParams("params.\(name) is required") }
        guard let text = value.stringValue else { throw .invalidParams("params.\(name) must be a string") }
        return text
    }

    /// An optional string.
    func optionalString(_ name: String) throws(QueryFailure) -> String? {
        guard let value = values[name] else { return nil }
        guard let text = value.stringValue else { throw .invalidParams("params.\(name) must be a string") }
        return text
    }

    /// An integer in `range`, or `defaultValue` when absent.
    func int(_ name: String, default defaultValue: Int, range: ClosedRange<Int>) throws(QueryFailure) -> Int {
        guard let value = values[name] else { return defaultValue }
        guard let number = value.intValue, range.contains(number) else {
            throw .invalidParams("params.\(name) must be an integer from \(range.lowerBound) to \(range.upperBound)")
        }
        return number
    }

    /// `limit`: 1 to 200, default 50.
    func limit() throws(QueryFailure) -> Int {
        try int("limit", default: Self.defaultLimit, range: 1...Self.maxLimit)
    }

    /// One of `allowed`, or `defaultValue` when absent.
    func choice(_ name: String, default defaultValue: String, allowed: [String]) throws(QueryFailure) -> String {
        guard let text = try optionalString(name) else { return defaultValue }
        guard allowed.contains(text) else {
            throw .invalidParams("params.\(name) must be one of \(allowed.joined(separator: ", "))")
        }
        return text
    }
}

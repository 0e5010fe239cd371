import Foundation
import KefuModel

/// Typed access to a query's `params` object; every accessor throws `invalid_params` naming the parameter.
public struct QueryParams: Sendable {
    /// The members.
    public let values: [String: JSONValue]

    /// Wraps an object's members, refusing names outside `allowed` (typos should not pass silently).
    public init(_ values: [String: JSONValue], allowed: Set<String>) throws(QueryFailure) {
        if let unknown = values.keys.sorted().first(where: { !allowed.contains($0) }) {
            throw .invalidParams("unknown parameter '\(unknown.prefix(64))'; allowed: \(allowed.sorted().joined(separator: ", "))")
        }
        self.values = values
    }

    /// A string, or nil when absent.
    public func string(_ key: String) throws(QueryFailure) -> String? {
        guard let value = values[key] else { return nil }
        guard case .string(let text) = value else { throw .invalidParams("'\(key)' must be a string") }
        return text
    }

    /// A required string.
    public func requiredString(_ key: String) throws(QueryFailure) -> String {
        guard let text = try string(key) else { throw .invalidParams("'\(key)' is required") }
        return text
    }

    /// An integer within `range`, or nil when absent.
    public func int(_ key: String, in range: ClosedRange<Int>) throws(QueryFailure) -> Int? {
        guard let value = values[key] else { return nil }
        guard case .integer(let number) = value, let int = Int(exactly: number), range.contains(int) else {
            throw .invalidParams("'\(key)' must be an integer from \(range.lowerBound) to \(range.upperBound)")
        }
        return int
    }

    /// A boolean, or `defaultValue` when absent.
    public func bool(_ key: String, default defaultValue: Bool) throws(QueryFailure) -> Bool {
        guard let value = values[key] else { return defaultValue }
        guard case .bool(let flag) = value else { throw .invalidParams("'\(key)' must be true or false") }
        return flag
    }

    /// A lowercase UUID, or nil when absent.
    public func uuid(_ key: String) throws(QueryFailure) -> UUID? {
        guard let text = try string(key) else { return nil }
        return try Self.uuid(text, name: key)
    }

    /// A channel name (`^[a-z0-9][a-z0-9_-]{0,63}$`), or nil when absent.
    public func channel(_ key: String) throws(QueryFailure) -> String? {
        guard let text = try string(key) else { return nil }
        return try Self.channel(text, name: key)
    }

    /// A required `YYYY-MM-DD` date.
    public func date(_ key: String) throws(QueryFailure) -> LocalDate {
        try Self.date(try requiredString(key), name: key)
    }

    /// Parses a UUID parameter.
    public static func uuid(_ text: String, name: String) throws(QueryFailure) -> UUID {
        guard text.utf8.count == 36, let uuid = UUID(uuidString: text) else {
            throw .invalidParams("'\(name)' must be a UUID such as 8b0e6f2a-1c3d-4e5f-8a9b-0c1d2e3f4a5b")
        }
        return uuid
    }

    /// Parses a channel parameter.
    public static func channel(_ text: String, name: String) throws(QueryFailure) -> String {
        do {
            try FieldRules.channel(text, field: name)
        } catch {
            throw .invalidParams("'\(name)' must be a channel name matching ^[a-z0-9][a-z0-9_-]{0,63}$")
        }
        return text
    }

    /// Parses a date parameter.
    public static func date(_ text: String, name: String) throws(QueryFailure) -> LocalDate {
        guard let date = LocalDate(text) else {
            throw .invalidParams("'\(name)' must be a calendar date YYYY-MM-DD between 1970-01-01 and 9999-12-31, got '\(text.prefix(32))'")
        }
        return date
    }
}

/// A range of local dates `[from, to]` in a timezone, checked: `from` not after `to`, at most `maxDays`.
public struct DateRange: Sendable, Equatable {
    /// The first date.
    public let from: LocalDate
    /// The last date (included).
    public let to: LocalDate
    /// The IANA timezone the dates are in.
    public let timezone: String

    /// Checks the order and the span; the timezone must already be validated.
    public init(from: LocalDate, to: LocalDate, timezone: String, maxDays: Int? = nil) throws(QueryFailure) {
        guard from <= to else {
            throw .invalidParams("'from' (\(from)) is after 'to' (\(to)); give the earlier date first")
        }
        if let maxDays, from.days(through: to) > maxDays {
            throw .invalidParams("the range \(from)…\(to) spans \(from.days(through: to)) days; at most \(maxDays) are allowed here")
        }
        self.from = from
        self.to = to
        self.timezone = timezone
    }

    /// The number of dates in the range.
    public var days: Int { from.days(through: to) }
}

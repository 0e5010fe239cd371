import Foundation

/// A Swift value that can be bound to a `$n` parameter.
///
/// Conforming types: `String`, `Int`, `Int64`, `Int32`, `Int16`, `Bool`, `Double`, `Float`, `Date`
/// (as a UTC ISO 8601 timestamp with microseconds), `UUID`, `[UInt8]` and `Data` (as `bytea`),
/// `PostgresValue`, and `Optional` of any of them (`nil` is NULL). Use `PostgresValue.null` for a
/// literal NULL in an array literal.
public protocol PostgresEncodable: Sendable {
    /// The parameter as it will be sent.
    var postgresValue: PostgresValue { get }
}

extension String: PostgresEncodable {
    public var postgresValue: PostgresValue { .text(self) }
}

extension Substring: PostgresEncodable {
    public var postgresValue: PostgresValue { .text(String(self)) }
}

extension Int: PostgresEncodable {
    public var postgresValue: PostgresValue { .text(String(self)) }
}

extension Int64: PostgresEncodable {
    public var postgresValue: PostgresValue { .text(String(self)) }
}

extension Int32: PostgresEncodable {
    public var postgresValue: PostgresValue { .text(String(self)) }
}

extension Int16: PostgresEncodable {
    public var postgresValue: PostgresValue { .text(String(self)) }
}

extension Bool: PostgresEncodable {
    public var postgresValue: PostgresValue { .text(self ? "t" : "f") }
}

extension Double: PostgresEncodable {
    /// Finite values use Swift's shortest round-tripping form; NaN and infinities use PostgreSQL's spelling.
    public var postgresValue: PostgresValue {
        if isNaN { return .text("NaN") }
        if isInfinite { return .text(self < 0 ? "-Infinity" : "Infinity") }
        return .text(description)
    }
}

extension Float: PostgresEncodable {
    public var postgresValue: PostgresValue { Double(self).postgresValue }
}

extension Date: PostgresEncodable {
    public var postgresValue: PostgresValue { .text(TimestampFormat.encode(self)) }
}

extension UUID: PostgresEncodable {
    public var postgresValue: PostgresValue { .text(Hex.text(of: self)) }
}

extension Array: PostgresEncodable where Element == UInt8 {
    public var postgresValue: PostgresValue { .bytea(self) }
}

extension Data: PostgresEncodable {
    public var postgresValue: PostgresValue { .bytea([UInt8](self)) }
}

extension Optional: PostgresEncodable where Wrapped: PostgresEncodable {
    public var postgresValue: PostgresValue {
        switch self {
        case .none: return .null
        case .some(let wrapped): return wrapped.postgresValue
        }
    }
}

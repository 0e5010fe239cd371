import Foundation

/// A Swift type that can be read from a column in PostgreSQL's text output format.
///
/// Conforming types: `String` (also for `jsonb`, `json`, `numeric` and any other type, as text),
/// `Int`, `Int64`, `Int32`, `Int16`, `Bool`, `Double`, `Float`, `Date` (`timestamptz`/`timestamp`),
/// `UUID`, `[UInt8]` and `Data` (`bytea`), and `Optional` of any of them (NULL decodes as `nil`).
public protocol PostgresDecodable {
    /// Reads a non-NULL value; returns nil when the text is not valid for this type.
    init?(postgresText text: String)
    /// The value for SQL NULL; non-optional types throw `.decoding`.
    static func postgresNull(column: String) throws(PostgresError) -> Self
}

extension PostgresDecodable {
    public static func postgresNull(column: String) throws(PostgresError) -> Self {
        throw .decoding(column: column, reason: "unexpected NULL for non-optional \(Self.self)")
    }
}

extension Optional: PostgresDecodable where Wrapped: PostgresDecodable {
    public init?(postgresText text: String) {
        guard let wrapped = Wrapped(postgresText: text) else { return nil }
        self = .some(wrapped)
    }

    public static func postgresNull(column: String) throws(PostgresError) -> Self { .none }
}

extension String: PostgresDecodable {
    public init?(postgresText text: String) { self = text }
}

extension Int: PostgresDecodable {
    public init?(postgresText text: String) { self.init(text) }
}

extension Int64: PostgresDecodable {
    public init?(postgresText text: String) { self.init(text) }
}

extension Int32: PostgresDecodable {
    public init?(postgresText text: String) { self.init(text) }
}

extension Int16: PostgresDecodable {
    public init?(postgresText text: String) { self.init(text) }
}

extension Bool: PostgresDecodable {
    public init?(postgresText text: String) {
        switch text {
        case "t", "true": self = true
        case "f", "false": self = false
        default: return nil
        }
    }
}

extension Double: PostgresDecodable {
    public init?(postgresText text: String) { self.init(text) }
}

extension Float: PostgresDecodable {
    public init?(postgresText text: String) { self.init(text) }
}

extension Date: PostgresDecodable {
    public init?(postgresText text: String) {
        guard let date = TimestampFormat.decode(text) else { return nil }
        self = date
    }
}

extension UUID: PostgresDecodable {
    public init?(postgresText text: String) {
        guard let uuid = Hex.uuid(text) else { return nil }
        self = uuid
    }
}

extension Array: PostgresDecodable where Element == UInt8 {
    public init?(postgresText text: String) {
        guard let bytes = Hex.decodeBytea(text) else { return nil }
        self = bytes
    }
}

extension Data: PostgresDecodable {
    public init?(postgresText text: String) {
        guard let bytes = Hex.decodeBytea(text) else { return nil }
        self.init(bytes)
    }
}

/// One bind parameter as sent to the server.
///
/// Text values are sent in text format with their type left for the server to infer from the
/// statement (add a cast such as `$1::uuid` where the context is ambiguous). Binary values are
/// sent in binary format typed as `bytea`, so they round-trip byte for byte.
public enum PostgresValue: Sendable, Hashable {
    /// SQL NULL.
    case null
    /// A value in PostgreSQL's text input format.
    case text(String)
    /// Raw bytes sent as a binary `bytea` parameter.
    case bytea([UInt8])
    /// A value in PostgreSQL's binary format for the type with OID `oid` (see ``PostgresArray/bytea(_:)``).
    case binary(oid: UInt32, bytes: [UInt8])
}

extension PostgresValue: PostgresEncodable {
    public var postgresValue: PostgresValue { self }
}

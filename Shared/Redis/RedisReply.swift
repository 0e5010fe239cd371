/// One RESP2 reply, copied out of hiredis into Swift values.
public enum RedisReply: Sendable, Equatable {
    /// A bulk string (binary safe).
    case bulk([UInt8])
    /// A status reply such as `+OK` or `+PONG`.
    case status(String)
    /// An integer reply.
    case integer(Int64)
    /// An array (multi-bulk) reply; elements may be nested arrays.
    case array([RedisReply])
    /// A nil bulk string or nil array (missing key, `BLOCK` timeout).
    case null
    /// An error reply such as `-ERR unknown command`. Not a connection error.
    case error(String)
}

extension RedisReply {
    /// The reply as text: bulk strings decoded as UTF-8, status and error text, integers formatted.
    public var string: String? {
        switch self {
        case .bulk(let bytes): return String(decoding: bytes, as: UTF8.self)
        case .status(let text), .error(let text): return text
        case .integer(let value): return String(value)
        case .array, .null: return nil
        }
    }

    /// The reply as an integer: integer replies, or bulk/status text that parses as one.
    public var int: Int64? {
        switch self {
        case .integer(let value): return value
        case .bulk, .status: return string.flatMap { Int64($0) }
        default: return nil
        }
    }

    /// The elements of an array reply.
    public var array: [RedisReply]? {
        if case .array(let elements) = self { return elements }
        return nil
    }

    /// The bytes of a bulk reply.
    public var bytes: [UInt8]? {
        if case .bulk(let bytes) = self { return bytes }
        return nil
    }

    /// True for a nil reply.
    public var isNull: Bool {
        if case .null = self { return true }
        return false
    }

    /// The message of an error reply.
    public var errorMessage: String? {
        if case .error(let message) = self { return message }
        return nil
    }

    /// Returns the reply, or throws ``RedisError/server(_:)`` when it is an error reply.
    public func throwingOnError() throws(RedisError) -> RedisReply {
        if case .error(let message) = self { throw RedisError.server(message) }
        return self
    }
}

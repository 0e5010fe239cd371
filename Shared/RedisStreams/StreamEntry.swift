/// Ordered field/value pairs of one stream entry. Field names are text; values are bytes.
public typealias StreamFields = [(name: String, value: [UInt8])]

/// One stream entry as read from Redis: its id and its fields, in order. The runtime never looks
/// inside the values; a ``StreamHandler`` decodes them (Kefu puts one `event` field holding JSON).
public struct StreamEntry: Sendable, Equatable, CustomStringConvertible {
    /// The Redis entry id, e.g. `1700000000000-0`.
    public var id: String
    /// The fields in the order they were written.
    public var fields: StreamFields

    /// Creates an entry.
    public init(id: String, fields: StreamFields) {
        self.id = id
        self.fields = fields
    }

    /// The value of the first field called `name`.
    public subscript(field name: String) -> [UInt8]? {
        fields.first { $0.name == name }?.value
    }

    /// The value of the first field called `name`, decoded as UTF-8.
    public func string(_ name: String) -> String? {
        self[field: name].map { String(decoding: $0, as: UTF8.self) }
    }

    public static func == (lhs: StreamEntry, rhs: StreamEntry) -> Bool {
        lhs.id == rhs.id && lhs.fields.count == rhs.fields.count
            && zip(lhs.fields, rhs.fields).allSatisfy { $0.name == $1.name && $0.value == $1.value }
    }

    /// The id and field names only (never the values, which may hold personal data).
    public var description: String {
        "StreamEntry(\(id), fields: \(fields.map(\.name)))"
    }
}

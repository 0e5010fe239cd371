/// One stream entry: its id and its field/value pairs in order.
public struct StreamEntry: Sendable, Equatable {
    /// The Redis entry id, `<ms>-<seq>`.
    public let id: String
    /// Field/value pairs in the order they were added.
    public let fields: [(name: String, value: [UInt8])]

    /// Creates an entry.
    public init(id: String, fields: [(name: String, value: [UInt8])]) {
        self.id = id
        self.fields = fields
    }

    /// The value of the first field called `name`.
    public subscript(field name: String) -> [UInt8]? {
        fields.first { $0.name == name }?.value
    }

    public static func == (lhs: StreamEntry, rhs: StreamEntry) -> Bool {
        lhs.id == rhs.id && lhs.fields.elementsEqual(rhs.fields) { $0.name == $1.name && $0.value == $1.value }
    }
}

/// A decoded message with the entry it came from.
public struct StreamMessage<Message: Sendable>: Sendable {
    /// The entry as read.
    public let entry: StreamEntry
    /// What the handler's `decode` made of it.
    public let message: Message
}

/// Orders stream ids (`<ms>-<seq>`) numerically.
public enum StreamID {
    /// The numeric parts of `id`, `nil` when it is not a full id.
    public static func parts(_ id: String) -> (UInt64, UInt64)? {
        let pieces = id.split(separator: "-", omittingEmptySubsequences: false)
        guard pieces.count == 2, let ms = UInt64(pieces[0]), let seq = UInt64(pieces[1]) else { return nil }
        return (ms, seq)
    }

    /// True when `lhs` is an earlier id than `rhs`.
    public static func isLess(_ lhs: String, _ rhs: String) -> Bool {
        guard let left = parts(lhs), let right = parts(rhs) else { return lhs < rhs }
        return left < right
    }
}

/// A decoded message together with the entry it came from.
public struct StreamMessage<Message: Sendable>: Sendable {
    /// The raw entry (id and fields).
    public let entry: StreamEntry
    /// The decoded message.
    public let message: Message

    /// Pairs a decoded message with its entry.
    public init(entry: StreamEntry, message: Message) {
        self.entry = entry
        self.message = message
    }

    /// The Redis entry id.
    public var id: String { entry.id }
}

/// A ``StreamHandler`` made of two closures.
public struct ClosureStreamHandler<Message: Sendable>: StreamHandler {
    private let decoder: @Sendable (StreamEntry) throws -> Message
    private let handler: @Sendable ([StreamMessage<Message>]) async throws -> Void

    /// Creates a handler from a decode closure and a batch handling closure.
    public init(
        decode: @escaping @Sendable (StreamEntry) throws -> Message,
        handle: @escaping @Sendable ([StreamMessage<Message>]) async throws -> Void
    ) {
        self.decoder = decode
        self.handler = handle
    }

    public func decode(_ entry: StreamEntry) throws -> Message {
        try decoder(entry)
    }

    public func handle(_ batch: [StreamMessage<Message>]) async throws {
        try await handler(batch)
    }
}

/// What a ``StreamConsumer`` calls. The contract:
///
/// - ``decode(_:)`` turns an entry into a `Message`. If it throws, the entry is dead-lettered at
///   once with reason `<code>: <message>` (see ``DeadLetterCause``; other errors give
///   `undecodable: <error>`); it never reaches ``handle(_:)``.
/// - ``handle(_:)`` gets a batch (up to `batchSize`) in stream order. Return normally only when
///   the effect of every message is durable (e.g. the PostgreSQL transaction committed): the
///   consumer then acknowledges the whole batch with one `XACK`.
/// - If ``handle(_:)`` throws, the consumer calls it again with each message alone. Messages that
///   succeed alone are acknowledged; messages that fail stay pending, are claimed again after
///   `claimIdleMilliseconds`, and are dead-lettered after `maxDeliveries` deliveries.
/// - Delivery is at least once: a message may be handled again after a crash, a retry or a claim,
///   so handlers must be idempotent (record the producer's event id in the same transaction).
/// - ``handle(_:)`` may run concurrently for different batches (the read loop and the claim loop).
/// - A handler that throws while its task is cancelled is never acknowledged.
public protocol StreamHandler: Sendable {
    /// The decoded form of an entry.
    associatedtype Message: Sendable

    /// Decodes an entry; throwing dead-letters it immediately.
    func decode(_ entry: StreamEntry) throws -> Message

    /// Handles a batch; return only when every message's effect is durable.
    func handle(_ batch: [StreamMessage<Message>]) async throws
}

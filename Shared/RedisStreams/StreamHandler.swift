/// What a ``StreamConsumer`` does with entries.
public protocol StreamHandler: Sendable {
    /// The decoded form of an entry.
    associatedtype Message: Sendable

    /// Decodes one entry. A thrown error sends the entry to the dead-letter stream at once, with the
    /// error's description as the reason.
    func decode(_ entry: StreamEntry) throws -> Message

    /// Applies a batch. Returning means every message's effect is durable, and the whole batch is
    /// acknowledged; throwing acknowledges nothing (the consumer then retries the messages one by one).
    func handle(_ batch: [StreamMessage<Message>]) async throws
}

/// Settings of one ``StreamConsumer``.
public struct StreamConsumerConfiguration: Sendable {
    /// The stream read.
    public var stream: String
    /// The consumer group.
    public var group: String
    /// This consumer's name: stable per instance (see ``ConsumerName``).
    public var consumer: String
    /// Entries per `XREADGROUP`.
    public var batchSize: Int = 100
    /// `BLOCK` time of each read, in milliseconds.
    public var blockMilliseconds: Int = 2_000
    /// Pending entries idle longer than this (any consumer's, including this one's) are claimed.
    public var claimIdleMilliseconds: Int = 30_000
    /// How often pending entries are checked for claiming and dead-lettering.
    public var claimIntervalMilliseconds: Int = 5_000
    /// Deliveries (counted by `XPENDING`) after which a failing entry is dead-lettered.
    public var maxDeliveries: Int = 5
    /// Where dead letters go; `<stream>:dead` by default.
    public var deadLetterStream: String
    /// `MAXLEN ~` of the dead-letter stream.
    public var deadLetterMaxLength: Int = 1_000_000
    /// Where a newly created group starts: `0` or `$`.
    public var startID: String = "0"
    /// How often the stream is trimmed below every group's floor; 0 turns trimming off.
    public var trimIntervalMilliseconds: Int = 60_000

    /// Creates a configuration with the defaults above.
    public init(stream: String, group: String, consumer: String) {
        self.stream = stream
        self.group = group
        self.consumer = consumer
        self.deadLetterStream = stream + ":dead"
    }
}

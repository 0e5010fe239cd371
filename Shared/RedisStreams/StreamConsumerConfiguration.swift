/// Settings of one ``StreamConsumer``: which stream and group, who it is, and how it batches,
/// claims and dead-letters.
public struct StreamConsumerConfiguration: Sendable, Equatable {
    /// The stream key to consume.
    public var stream: String
    /// The consumer group (shared by all instances of one service).
    public var group: String
    /// This consumer's name, stable across restarts of the same instance
    /// (see ``ConsumerName/stable(service:instance:hostname:)``), so its pending entries are drained on restart.
    public var consumer: String
    /// Entries per `XREADGROUP COUNT` and per handler batch.
    public var batchSize: Int
    /// `BLOCK` milliseconds of a read for new entries.
    public var blockMilliseconds: Int
    /// Entries idle (unacknowledged) longer than this are claimed from their consumer.
    /// Must exceed the slowest handler call.
    public var claimIdleMilliseconds: Int
    /// Pause between two claim cycles.
    public var claimIntervalMilliseconds: Int
    /// Deliveries (from `XPENDING`) after which an entry is dead-lettered.
    public var maxDeliveries: Int
    /// The dead-letter stream (default `<stream>:dead`).
    public var deadLetterStream: String
    /// Id for `XGROUP CREATE` when the group does not exist: `"0"` (whole stream) or `"$"` (new only).
    public var startID: String

    /// Creates a configuration; unspecified values take the documented defaults.
    public init(
        stream: String,
        group: String,
        consumer: String,
        batchSize: Int = 100,
        blockMilliseconds: Int = 2_000,
        claimIdleMilliseconds: Int = 30_000,
        claimIntervalMilliseconds: Int = 10_000,
        maxDeliveries: Int = 5,
        deadLetterStream: String? = nil,
        startID: String = "0"
    ) {
        self.stream = stream
        self.group = group
        self.consumer = consumer
        self.batchSize = batchSize
        self.blockMilliseconds = blockMilliseconds
        self.claimIdleMilliseconds = claimIdleMilliseconds
        self.claimIntervalMilliseconds = claimIntervalMilliseconds
        self.maxDeliveries = maxDeliveries
        self.deadLetterStream = deadLetterStream ?? "\(stream):dead"
        self.startID = startID
    }

    /// Checks the values before anything connects.
    public func validate() throws(StreamConfigurationError) {
        if stream.isEmpty { throw .invalid("stream", "must not be empty") }
        if group.isEmpty { throw .invalid("group", "must not be empty") }
        if consumer.isEmpty { throw .invalid("consumer", "must not be empty") }
        if batchSize < 1 { throw .invalid("batchSize", "must be at least 1, got \(batchSize)") }
        if blockMilliseconds < 1 { throw .invalid("blockMilliseconds", "must be at least 1, got \(blockMilliseconds)") }
        if claimIdleMilliseconds < 1 { throw .invalid("claimIdleMilliseconds", "must be at least 1") }
        if claimIntervalMilliseconds < 1 { throw .invalid("claimIntervalMilliseconds", "must be at least 1") }
        if maxDeliveries < 1 { throw .invalid("maxDeliveries", "must be at least 1, got \(maxDeliveries)") }
        if deadLetterStream == stream { throw .invalid("deadLetterStream", "must differ from the stream") }
        if startID != "0" && startID != "$" && StreamID(startID) == nil {
            throw .invalid("startID", "must be 0, $ or a stream id, got '\(startID)'")
        }
    }

    /// Socket read timeout of the reading connection: the block plus a margin.
    var readTimeout: Duration {
        .milliseconds(blockMilliseconds) + .seconds(5)
    }
}

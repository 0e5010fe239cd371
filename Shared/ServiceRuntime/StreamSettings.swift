import RedisStreams

/// How a service reads and writes streams.
///
/// | variable | default | meaning |
/// |---|---|---|
/// | `KEFU_STREAM_BATCH_SIZE` | `100` | entries per `XREADGROUP` |
/// | `KEFU_STREAM_BLOCK_MS` | `2000` | `XREADGROUP BLOCK` time |
/// | `KEFU_STREAM_CLAIM_IDLE_MS` | `30000` | pending entries idle longer than this are claimed |
/// | `KEFU_STREAM_MAX_DELIVERIES` | `5` | deliveries before an entry is dead-lettered |
/// | `KEFU_STREAM_MAXLEN` | `1000000` | `MAXLEN ~` safety valve on `XADD` |
/// | `KEFU_REDIS_WAIT_REPLICAS` | `0` | replicas every write waits for (`WAIT`); 0 = asynchronous replication as is |
/// | `KEFU_REDIS_WAIT_TIMEOUT_MS` | `500` | the longest a write waits for them |
public struct StreamSettings: Sendable {
    /// Entries per read.
    public var batchSize: Int
    /// Blocking read time in milliseconds.
    public var blockMilliseconds: Int
    /// Idle time after which pending entries are claimed, in milliseconds.
    public var claimIdleMilliseconds: Int
    /// Deliveries before dead-lettering.
    public var maxDeliveries: Int
    /// Approximate maximum stream length kept by producers.
    public var maxLength: Int
    /// Replication each write waits for (nil when `KEFU_REDIS_WAIT_REPLICAS` is 0).
    public var replicaWait: ReplicaWait?

    /// Reads the settings, validating ranges.
    public init(reader: ConfigReader = ConfigReader()) throws(ConfigError) {
        batchSize = try reader.int("KEFU_STREAM_BATCH_SIZE", default: 100, range: 1...10_000)
        blockMilliseconds = try reader.int("KEFU_STREAM_BLOCK_MS", default: 2_000, range: 10...60_000)
        claimIdleMilliseconds = try reader.int("KEFU_STREAM_CLAIM_IDLE_MS", default: 30_000, range: 100...86_400_000)
        maxDeliveries = try reader.int("KEFU_STREAM_MAX_DELIVERIES", default: 5, range: 1...1_000)
        maxLength = try reader.int("KEFU_STREAM_MAXLEN", default: 1_000_000, range: 1_000...1_000_000_000)
        let replicas = try reader.int("KEFU_REDIS_WAIT_REPLICAS", default: 0, range: 0...16)
        let timeout = try reader.int("KEFU_REDIS_WAIT_TIMEOUT_MS", default: 500, range: 1...60_000)
        replicaWait = replicas == 0 ? nil : ReplicaWait(replicas: replicas, timeoutMilliseconds: timeout)
    }
}

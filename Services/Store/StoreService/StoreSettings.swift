import ServiceRuntime

/// The store's own settings, read from the environment next to the shared ones.
///
/// | variable | default | meaning |
/// |---|---|---|
/// | `KEFU_STORE_RETENTION_DAYS` | `0` | delete sessions (events, images) that ended more than this many days ago; 0 keeps everything |
/// | `KEFU_STORE_PURGE_INTERVAL_MS` | `3600000` | time between retention purges |
/// | `KEFU_STORE_PURGE_BATCH` | `1000` | rows per `DELETE` statement of a purge |
public struct StoreSettings: Sendable {
    /// Days an ended session is kept; 0 keeps it forever.
    public var retentionDays: Int
    /// Time between purges.
    public var purgeInterval: Duration
    /// Rows per purge statement.
    public var purgeBatchSize: Int
    /// Pause between two purge statements, giving the consumers the disk and the locks.
    public var purgePause: Duration = .milliseconds(20)

    /// The defaults: keep everything.
    public init() {
        retentionDays = 0
        purgeInterval = .seconds(3600)
        purgeBatchSize = 1_000
    }

    /// Reads and validates the variables.
    public init(reader: ConfigReader) throws(ConfigError) {
        retentionDays = try reader.int("KEFU_STORE_RETENTION_DAYS", default: 0, range: 0...36_500)
        purgeInterval = try reader.milliseconds("KEFU_STORE_PURGE_INTERVAL_MS", default: 3_600_000, range: 100...86_400_000)
        purgeBatchSize = try reader.int("KEFU_STORE_PURGE_BATCH", default: 1_000, range: 1...100_000)
    }
}

import KefuModel
import Redis
import RedisStreams

/// A service's partition count differs from the one its deployment stored in Redis.
public struct StreamPartitionMismatch: Error, Sendable, CustomStringConvertible {
    /// The count in Redis (set by the first service that started).
    public let stored: String
    /// This service's `KEFU_STREAM_PARTITIONS`.
    public let configured: Int
    /// The key holding the stored count.
    public let key: String

    /// One line naming both counts and the key.
    public var description: String {
        "KEFU_STREAM_PARTITIONS=\(configured) differs from the deployment's \(stored) (Redis key \(key)); "
            + "every service of a deployment must use the same partition count"
    }
}

/// Stores a deployment's stream partition count in Redis on first start and checks it on every start.
public enum StreamPartitionCheck {
    /// `SET <key> <count> NX` then `GET <key>` in one round trip; returns the stored count.
    public static func storeOrRead(names: StreamNames, redis: RedisClient) async throws -> String? {
        let count = String(names.partitionCount)
        let replies = try await redis.pipeline([["SET", names.partitionKey, count, "NX"], ["GET", names.partitionKey]])
        if let error = replies.first(where: { $0.errorMessage != nil })?.errorMessage {
            throw RedisError.server(error)
        }
        return replies.last?.string
    }

    /// Throws ``StreamPartitionMismatch`` unless `stored` is this deployment's count.
    public static func verify(stored: String?, names: StreamNames) throws(StreamPartitionMismatch) {
        let stored = stored ?? "(none)"
        guard stored == String(names.partitionCount) else {
            throw StreamPartitionMismatch(stored: stored, configured: names.partitionCount, key: names.partitionKey)
        }
    }

    /// The producer's router: each entry of a partitioned stream goes to the partition of its session
    /// (or visitor) key; nil with one partition (names unchanged, no per-entry work).
    public static func router(_ names: StreamNames) -> StreamProducer.Router? {
        guard names.partitionCount > 1 else { return nil }
        return { stream, fields in
            guard let envelope = fields.first(where: { $0.name == StreamNames.entryField }) else { return stream }
            return names.partition(of: stream, envelope: envelope.value)
        }
    }
}

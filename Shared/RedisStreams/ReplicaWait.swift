import Redis

/// Makes a producer's writes wait for replication: each pipelined round trip of `XADD`s ends with
/// `WAIT <replicas> <timeout>` on the same connection, and a write that fewer replicas acknowledged in time
/// fails with ``StreamError/notReplicated(addedIDs:replicas:)`` (the entries are on the primary; what
/// depends on them surviving a failover — deleting an outbox row — must not happen yet).
public struct ReplicaWait: Sendable, Equatable {
    /// Replicas that must acknowledge each write (1 or more).
    public var replicas: Int
    /// How long a round trip may wait for them, in milliseconds (1 or more).
    public var timeoutMilliseconds: Int

    /// A wait for `replicas` replicas of at most `timeoutMilliseconds`.
    public init(replicas: Int, timeoutMilliseconds: Int) {
        self.replicas = max(1, replicas)
        self.timeoutMilliseconds = max(1, timeoutMilliseconds)
    }

    /// The `WAIT` command.
    var command: [[UInt8]] {
        [Array("WAIT".utf8), Array(String(replicas).utf8), Array(String(timeoutMilliseconds).utf8)]
    }

    /// Checks `WAIT`'s reply (the number of replicas that acknowledged).
    func check(_ reply: RedisReply, added ids: [String]) throws {
        guard let count = reply.int else {
            throw StreamError.batchFailed(addedIDs: ids, reason: reply.errorMessage ?? "unexpected WAIT reply")
        }
        if count < replicas { throw StreamError.notReplicated(addedIDs: ids, replicas: Int(count)) }
    }
}

/// Carries a ``RedisConnection`` across threads. Safe only because every owner hands it to exactly
/// one thread at a time (the pool lock, or a single-thread pool).
final class ConnectionBox: @unchecked Sendable {
    let connection: RedisConnection

    init(_ connection: RedisConnection) {
        self.connection = connection
    }
}

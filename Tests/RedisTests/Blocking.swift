import Dispatch
import Redis

/// Runs blocking test code (direct `RedisConnection` use) off the cooperative pool.
enum Blocking {
    static func run<T: Sendable>(_ work: @escaping @Sendable () throws -> T) async throws -> T {
        try await withCheckedThrowingContinuation { continuation in
            DispatchQueue.global().async { continuation.resume(with: Result(catching: work)) }
        }
    }

    static func run<T: Sendable>(_ work: @escaping @Sendable () -> T) async -> T {
        await withCheckedContinuation { continuation in
            DispatchQueue.global().async { continuation.resume(returning: work()) }
        }
    }
}

/// Lets a test hand one connection to successive `Blocking.run` calls (never concurrently).
final class SendableConnection: @unchecked Sendable {
    let value: RedisConnection

    init(_ value: RedisConnection) {
        self.value = value
    }

    var isConnected: Bool { value.isConnected }
}

import Foundation
import HummingbirdBcrypt
import NIOPosix
import Synchronization

/// bcrypt hashing off the cooperative thread pool (a hash takes tens to hundreds of milliseconds), at most
/// ``maxConcurrent`` at a time so that logins never take every core from the message path.
struct PasswordHasher: Sendable {
    /// The cost of new hashes.
    let cost: Int
    /// How long a verification takes here (measured at start, then a moving average of real ones): an
    /// unknown username waits this long instead of computing a decoy hash, so a failed login takes as long
    /// whether or not the account exists and unknown names cost no CPU.
    private let typical: VerifyTiming
    private let gate: ConcurrencyGate

    /// At most this many hashes or verifications run at once (half the cores, at least one).
    static let maxConcurrent = max(1, ProcessInfo.processInfo.activeProcessorCount / 2)

    init(cost: Int) {
        self.cost = cost
        let start = ContinuousClock.now
        let sample = Bcrypt.hash(Crypto.base64URL(Crypto.randomBytes(24)), cost: UInt8(cost))
        _ = Bcrypt.verify("not-the-password", hash: sample)
        let elapsed = (ContinuousClock.now - start) / 2
        typical = VerifyTiming(microseconds: Int64(elapsed.components.seconds * 1_000_000 + elapsed.components.attoseconds / 1_000_000_000_000))
        gate = ConcurrencyGate(limit: Self.maxConcurrent)
    }

    /// The bcrypt hash of `password`.
    func hash(_ password: String) async throws -> String {
        let cost = UInt8(cost)
        return try await gate.run { try await NIOThreadPool.singleton.runIfActive { Bcrypt.hash(password, cost: cost) } }
    }

    /// Whether `password` matches `hash`.
    func verify(_ password: String, hash: String) async throws -> Bool {
        let start = ContinuousClock.now
        let result = try await gate.run { try await NIOThreadPool.singleton.runIfActive { Bcrypt.verify(password, hash: hash) } }
        let elapsed = ContinuousClock.now - start
        let micros = Int64(elapsed.components.seconds * 1_000_000 + elapsed.components.attoseconds / 1_000_000_000_000)
        let old = typical.microseconds.load(ordering: .relaxed)
        typical.microseconds.store((old * 7 + micros) / 8, ordering: .relaxed)
        return result
    }

    /// Waits as long as a verification typically takes, without computing one (unknown usernames).
    func imitateVerify() async {
        try? await Task.sleep(for: .microseconds(typical.microseconds.load(ordering: .relaxed)))
    }

    /// The rules for a new password: 8-128 characters.
    static func validate(_ password: String) throws {
        guard (8...128).contains(password.count) else {
            throw APIError.badRequest("invalid_password", "a password must be 8-128 characters")
        }
    }
}

/// The moving average of verification times.
final class VerifyTiming: Sendable {
    let microseconds: Atomic<Int64>

    init(microseconds: Int64) {
        self.microseconds = Atomic(microseconds)
    }
}

/// Lets at most `limit` operations run at once; the others wait in order.
final class ConcurrencyGate: Sendable {
    private struct State {
        var running = 0
        var waiting: [CheckedContinuation<Void, Never>] = []
    }

    private let limit: Int
    private let state = Mutex(State())

    init(limit: Int) {
        self.limit = limit
    }

    /// Runs `body` once a place is free.
    func run<T: Sendable>(_ body: () async throws -> T) async throws -> T {
        await withCheckedContinuation { continuation in
            let now = state.withLock { state -> Bool in
                if state.running < limit {
                    state.running += 1
                    return true
                }
                state.waiting.append(continuation)
                return false
            }
            if now { continuation.resume() }
        }
        defer {
            let next = state.withLock { state -> CheckedContinuation<Void, Never>? in
                if state.waiting.isEmpty {
                    state.running -= 1
                    return nil
                }
                return state.waiting.removeFirst()
            }
            next?.resume()
        }
        return try await body()
    }
}

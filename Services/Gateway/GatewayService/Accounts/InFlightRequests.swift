import Synchronization

/// The idempotent requests this instance is running now, by key: a repeat that arrives while the first is
/// still waiting for its answer waits for that answer instead of sending again (which would leave it
/// waiting for a reply that readers, deduplicating, never send twice).
final class InFlightRequests: Sendable {
    /// What the first request answered.
    enum Outcome: Sendable {
        /// A response to replay: status and JSON body.
        case response(status: Int, body: [UInt8])
        /// An API error to answer with as well.
        case failure(APIError)
    }

    private struct Entry {
        var hash: [UInt8]
        var followers: [CheckedContinuation<Outcome?, Never>] = []
    }

    private let entries = Mutex<[String: Entry]>([:])

    /// Nil when the caller is the first with `key` (it must call ``finish(_:_:)``); otherwise the first's
    /// outcome once it has one (nil when the first failed without one: the caller then runs the request
    /// itself). A different `hash` under a running key gives a 409 `idempotency_conflict` outcome.
    func join(_ key: String, hash: [UInt8], displayKey: String) async -> Outcome? {
        await withCheckedContinuation { continuation in
            let immediate: Outcome?? = entries.withLock { entries in
                guard var entry = entries[key] else {
                    entries[key] = Entry(hash: hash)
                    return .some(nil)
                }
                guard entry.hash == hash else { return .some(.failure(Self.conflict(displayKey))) }
                entry.followers.append(continuation)
                entries[key] = entry
                return .none
            }
            if let immediate { continuation.resume(returning: immediate) }
        }
    }

    /// Ends the first request with `key`, answering everyone who waited for it.
    func finish(_ key: String, _ outcome: Outcome?) {
        let followers = entries.withLock { $0.removeValue(forKey: key)?.followers ?? [] }
        for follower in followers { follower.resume(returning: outcome) }
    }

    /// How many keys are running now.
    var count: Int { entries.withLock { $0.count } }

    static func conflict(_ key: String) -> APIError {
        APIError.conflict("idempotency_conflict", "the key \(key) was already used with a different request body; use a new key")
    }
}

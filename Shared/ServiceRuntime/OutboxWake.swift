import Synchronization

/// Wakes the service's ``OutboxRelay`` when an ``OutboxPublisher`` could not publish rows after a commit
/// and released them, so they leave at once instead of at the relay's next poll. Notifications while the
/// relay is busy are remembered (one is enough); the relay still polls, so a missed wake only costs latency.
public final class OutboxWake: Sendable {
    private struct State {
        var pending = false
        var waiter: CheckedContinuation<Void, Never>?
    }

    private let state = Mutex(State())

    /// Creates a signal.
    public init() {}

    /// Wakes the relay (or makes its next wait return at once).
    public func notify() {
        let waiter = state.withLock { state -> CheckedContinuation<Void, Never>? in
            if let waiter = state.waiter {
                state.waiter = nil
                return waiter
            }
            state.pending = true
            return nil
        }
        waiter?.resume()
    }

    /// Returns after `duration`, on a notification, or when the task is cancelled, whichever comes first.
    public func wait(upTo duration: Duration) async {
        let notified = state.withLock { state -> Bool in
            defer { state.pending = false }
            return state.pending
        }
        if notified { return }
        await withTaskGroup(of: Void.self) { group in
            group.addTask { try? await Task.sleep(for: duration) }
            group.addTask { await self.waitForNotification() }
            await group.next()
            group.cancelAll()
        }
    }

    private func waitForNotification() async {
        await withTaskCancellationHandler {
            await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
                let resumeNow = state.withLock { state -> Bool in
                    if state.pending || Task.isCancelled {
                        state.pending = false
                        return true
                    }
                    state.waiter = continuation
                    return false
                }
                if resumeNow { continuation.resume() }
            }
        } onCancel: {
            let waiter = state.withLock { state -> CheckedContinuation<Void, Never>? in
                defer { state.waiter = nil }
                return state.waiter
            }
            waiter?.resume()
        }
    }
}

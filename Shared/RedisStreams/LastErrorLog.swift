import Synchronization

/// The last handler error seen locally per entry id, for dead-letter reasons. Bounded: when full,
/// the oldest half is forgotten (the reason then says the error is unknown).
final class LastErrorLog: Sendable {
    private struct State {
        var errors: [String: String] = [:]
        var order: [String] = []
    }

    private let capacity: Int
    private let state = Mutex(State())

    init(capacity: Int = 10_000) {
        self.capacity = max(2, capacity)
    }

    func record(_ id: String, _ error: String) {
        state.withLock { state in
            if state.errors.updateValue(error, forKey: id) == nil {
                state.order.append(id)
            }
            if state.order.count > capacity {
                let dropped = state.order.prefix(capacity / 2)
                for id in dropped { state.errors[id] = nil }
                state.order.removeFirst(dropped.count)
            }
        }
    }

    func lastError(_ id: String) -> String? {
        state.withLock { $0.errors[id] }
    }

    func forget(_ ids: some Sequence<String>) {
        state.withLock { state in
            if state.errors.isEmpty { return }
            var removed = false
            for id in ids where state.errors.removeValue(forKey: id) != nil {
                removed = true
            }
            if removed {
                state.order.removeAll { state.errors[$0] == nil }
            }
        }
    }
}

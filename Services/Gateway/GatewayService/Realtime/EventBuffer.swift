import Synchronization

/// The most recent sequenced events this instance has read, per session, for resumes: a bounded
/// memory (oldest events leave first) in front of store's history.
final class EventBuffer: Sendable {
    private struct State {
        var sessions: [String: [LiveEvent]] = [:]
        var order: [String] = []
        var head = 0
    }

    private let capacity: Int
    private let state = Mutex(State())

    init(capacity: Int) {
        self.capacity = capacity
    }

    /// Keeps `event` (only sequenced session events are kept; a seq already held is ignored).
    func append(_ event: LiveEvent) {
        guard let session = event.sessionID, let seq = event.seq else { return }
        state.withLock { state in
            var events = state.sessions[session, default: []]
            if let last = events.last?.seq, seq <= last { return }
            events.append(event)
            state.sessions[session] = events
            state.order.append(session)
            if state.order.count - state.head > capacity {
                let oldest = state.order[state.head]
                state.head += 1
                if var list = state.sessions[oldest] {
                    list.removeFirst()
                    state.sessions[oldest] = list.isEmpty ? nil : list
                }
                if state.head > capacity {
                    state.order.removeFirst(state.head)
                    state.head = 0
                }
            }
        }
    }

    /// The held events of `session` after `seq`, and whether they are known to start right after it
    /// (the buffer holds `seq + 1`, or `seq` itself is the newest held).
    func events(session: String, after seq: Int) -> (events: [LiveEvent], complete: Bool) {
        state.withLock { state in
            guard let list = state.sessions[session], let first = list.first?.seq else { return ([], false) }
            let events = list.filter { ($0.seq ?? 0) > seq }
            return (events, first <= seq + 1)
        }
    }
}

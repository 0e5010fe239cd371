import NIOConcurrencyHelpers

/// Carries a `PostgresConnection` between threads. Only the holder of the pool permit that came with
/// it may touch the connection, so it is used by one thread at a time.
final class PooledConnection: @unchecked Sendable {
    let connection: PostgresConnection

    init(_ connection: PostgresConnection) {
        self.connection = connection
    }
}

/// Bookkeeping for the client's connections: `size` permits, idle connections, and FIFO waiters.
///
/// A checkout grants a permit and, when one is idle, a connection to reuse (`nil` means "open a new
/// one"). It never touches libpq: opening, checking and closing connections happen on the client's
/// thread pool.
final class ConnectionPool: Sendable {
    private struct Waiter {
        let id: Int
        let continuation: CheckedContinuation<PooledConnection?, any Error>
    }

    private struct State {
        var idle: [PooledConnection] = []
        var available: Int
        var leased = 0
        var waiters: [Waiter] = []
        var nextWaiterID = 0
        var isClosed = false
        var drainWaiters: [CheckedContinuation<Void, Never>] = []
    }

    private enum Grant {
        case granted(PooledConnection?)
        case failed(any Error)
        case waiting
    }

    private let state: NIOLockedValueBox<State>

    init(size: Int) {
        state = NIOLockedValueBox(State(available: size))
    }

    /// Waits for a permit. Throws `PostgresError.poolClosed` after `close()`, or `CancellationError`.
    func acquire() async throws -> PooledConnection? {
        let id = state.withLockedValue { state in
            state.nextWaiterID += 1
            return state.nextWaiterID
        }
        return try await withTaskCancellationHandler {
            try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<PooledConnection?, any Error>) in
                let grant: Grant = state.withLockedValue { state in
                    if state.isClosed {
                        return .failed(PostgresError.poolClosed)
                    }
                    if Task.isCancelled {
                        return .failed(CancellationError())
                    }
                    if state.available > 0 {
                        state.available -= 1
                        state.leased += 1
                        return .granted(state.idle.popLast())
                    }
                    state.waiters.append(Waiter(id: id, continuation: continuation))
                    return .waiting
                }
                switch grant {
                case .granted(let pooled): continuation.resume(returning: pooled)
                case .failed(let error): continuation.resume(throwing: error)
                case .waiting: break
                }
            }
        } onCancel: {
            let waiter = state.withLockedValue { state -> Waiter? in
                guard let index = state.waiters.firstIndex(where: { $0.id == id }) else { return nil }
                return state.waiters.remove(at: index)
            }
            waiter?.continuation.resume(throwing: CancellationError())
        }
    }

    /// Returns a permit, with the connection if it is reusable (`nil` if it was closed or never opened).
    /// After `close()` the connection is handed back so the caller can close it on a pool thread.
    func release(_ pooled: PooledConnection?) -> PooledConnection? {
        enum Action {
            case handOver(Waiter)
            case closeAfterShutdown([CheckedContinuation<Void, Never>])
            case none
        }
        let action: Action = state.withLockedValue { state in
            if state.isClosed {
                state.leased -= 1
                guard state.leased == 0 else { return .closeAfterShutdown([]) }
                defer { state.drainWaiters = [] }
                return .closeAfterShutdown(state.drainWaiters)
            }
            if !state.waiters.isEmpty {
                return .handOver(state.waiters.removeFirst())
            }
            state.leased -= 1
            state.available += 1
            if let pooled {
                state.idle.append(pooled)
            }
            return .none
        }
        switch action {
        case .handOver(let waiter):
            waiter.continuation.resume(returning: pooled)
            return nil
        case .closeAfterShutdown(let drained):
            drained.forEach { $0.resume() }
            return pooled
        case .none:
            return nil
        }
    }

    /// Refuses new checkouts, fails waiters with `.poolClosed`, waits until every permit is returned,
    /// and hands back the idle connections for closing.
    func close() async -> [PooledConnection] {
        let (waiters, idle) = state.withLockedValue { state in
            state.isClosed = true
            defer {
                state.waiters = []
                state.idle = []
                state.available = 0
            }
            return (state.waiters, state.idle)
        }
        waiters.forEach { $0.continuation.resume(throwing: PostgresError.poolClosed) }
        await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
            let done = state.withLockedValue { state in
                if state.leased == 0 { return true }
                state.drainWaiters.append(continuation)
                return false
            }
            if done {
                continuation.resume()
            }
        }
        return idle
    }

    /// Connections currently checked out.
    var leasedCount: Int {
        state.withLockedValue { $0.leased }
    }

    /// Idle connections currently kept open.
    var idleCount: Int {
        state.withLockedValue { $0.idle.count }
    }
}

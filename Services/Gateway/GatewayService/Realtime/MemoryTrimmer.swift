import ServiceRuntime
import Synchronization

/// Gives freed memory back to the system. glibc keeps freed memory in its arenas: after a wave of sockets
/// closes the gateway's resident size would stay at its peak, and during a wave of opens the short-lived
/// allocations of each handshake leave free pages between the long-lived ones of each socket. Once 256
/// sockets have opened or closed (or the last one closed), and that has paused for a second, this runs
/// `malloc_trim(0)` (which also releases free pages inside the heap) in the gateway's background
/// service — never on a request's path.
final class MemoryTrimmer: Sendable {
    private let changesSinceTrim = Atomic<Int>(0)
    private let signals: AsyncStream<Void>
    private let signal: AsyncStream<Void>.Continuation

    /// Opened or closed sockets that make a trim worth it.
    static let threshold = 256

    init() {
        (signals, signal) = AsyncStream<Void>.makeStream(bufferingPolicy: .bufferingNewest(1))
    }

    /// A socket opened.
    func socketOpened() {
        if changesSinceTrim.add(1, ordering: .relaxed).newValue >= Self.threshold { signal.yield() }
    }

    /// A socket closed; `open` are left.
    func socketClosed(open: Int) {
        let changes = changesSinceTrim.add(1, ordering: .relaxed).newValue
        if changes >= Self.threshold || open == 0 { signal.yield() }
    }

    /// Trims after each burst of closes until cancelled.
    func run() async {
        for await _ in signals {
            try? await Task.sleep(for: .seconds(1))
            if Task.isCancelled { return }
            changesSinceTrim.store(0, ordering: .relaxed)
            HeapTrim.releaseFreeMemory()
        }
    }

    /// Stops ``run()``.
    func finish() {
        signal.finish()
    }
}

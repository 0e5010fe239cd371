import Synchronization

#if canImport(Glibc)
import Glibc
#endif

/// Remembers the shared server's pid for the `atexit` handler.
final class PIDHolder: Sendable {
    private let pid = Mutex<Int32?>(nil)

    /// Stores `value`; true the first time (register the exit handler then).
    func set(_ value: Int32) -> Bool {
        pid.withLock { current in
            defer { current = value }
            return current == nil
        }
    }

    func killAtExit() {
        if let value = pid.withLock({ $0 }) {
            _ = kill(value, SIGKILL)
        }
    }
}

import Foundation
import Synchronization

#if canImport(Glibc)
import Glibc
#endif

/// Remembers the shared server's pid and directory for the `atexit` handler.
final class PIDHolder: Sendable {
    private let state = Mutex<(pid: Int32, directory: String?)?>(nil)

    /// Stores the server; true the first time (register the exit handler then).
    func set(_ pid: Int32, directory: String?) -> Bool {
        state.withLock { current in
            defer { current = (pid, directory) }
            return current == nil
        }
    }

    /// Kills the server and removes its directory.
    func killAtExit() {
        guard let (pid, directory) = state.withLock({ $0 }) else { return }
        _ = kill(pid, SIGKILL)
        if let directory { try? FileManager.default.removeItem(atPath: directory) }
    }
}

import Foundation
import NIOConcurrencyHelpers

#if canImport(Glibc)
import Glibc
#endif

/// Remembers the folders of launched test servers so that servers still running when the test process
/// exits are shut down and their folders deleted (an `atexit` hook; a killed process leaves them).
enum TestServerRegistry {
    private static let directories = NIOLockedValueBox<Set<String>>([])
    private static let hookInstalled = NIOLockedValueBox(false)

    static func register(_ base: String) {
        directories.withLockedValue { _ = $0.insert(base) }
        let install = hookInstalled.withLockedValue { installed in
            defer { installed = true }
            return !installed
        }
        if install {
            atexit {
                TestServerRegistry.stopAll()
            }
        }
    }

    /// Stops the postmaster of `base` if it still runs (fast shutdown by signal), then deletes `base`.
    static func stopAndRemove(_ base: String) {
        if let pid = postmasterPID(base) {
            kill(pid, SIGINT)
            var waited = 0
            while kill(pid, 0) == 0, waited < 200 {
                usleep(50_000)
                waited += 1
            }
            if kill(pid, 0) == 0 {
                kill(pid, SIGQUIT)
            }
        }
        try? FileManager.default.removeItem(atPath: base)
        directories.withLockedValue { _ = $0.remove(base) }
    }

    private static func stopAll() {
        let all = directories.withLockedValue { $0 }
        all.forEach(stopAndRemove)
    }

    private static func postmasterPID(_ base: String) -> pid_t? {
        guard let text = try? String(contentsOfFile: base + "/data/postmaster.pid", encoding: .utf8),
            let line = text.split(separator: "\n").first, let pid = pid_t(line), pid > 0
        else { return nil }
        return pid
    }
}

import Foundation

#if canImport(Glibc)
import Glibc
#endif

/// Runs a command with `posix_spawn` and waits for it with `waitpid` on a Dispatch thread.
///
/// Foundation's `Process` is not used on purpose: `pg_ctl start` leaves a daemon that inherits the
/// descriptors Foundation watches to notice the child's exit, so `Process` never reports it.
enum CommandRunner {
    /// Runs `executable` with `arguments`, stdin from /dev/null and stdout+stderr appended to `log`.
    /// Returns the exit status (or 128 + signal number).
    static func run(_ executable: String, _ arguments: [String], log: String) async throws -> Int32 {
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        posix_spawn_file_actions_addopen(&actions, 1, log, O_WRONLY | O_CREAT | O_APPEND, 0o644)
        posix_spawn_file_actions_adddup2(&actions, 1, 2)
        let argv = ([executable] + arguments).map { strdup($0) } + [nil]
        defer { argv.forEach { free($0) } }
        var pid: pid_t = 0
        let spawned = posix_spawn(&pid, executable, &actions, nil, argv, environ)
        guard spawned == 0 else {
            throw PostgresTestServerError.notAvailable("cannot run \(executable): \(String(cString: strerror(spawned)))")
        }
        let child = pid
        return await withCheckedContinuation { continuation in
            DispatchQueue.global().async {
                var status: Int32 = 0
                while waitpid(child, &status, 0) == -1 && errno == EINTR {}
                let signal = status & 0x7f
                continuation.resume(returning: signal == 0 ? (status >> 8) & 0xff : 128 + signal)
            }
        }
    }
}

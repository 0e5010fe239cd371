#if canImport(Glibc)
import Glibc
#endif

/// Starts the per-process shared ``RedisTestServer`` once, however many tests ask at the same time,
/// and kills it when the process exits.
actor SharedRedisTestServer {
    static let instance = SharedRedisTestServer()
    private static let pidAtExit = PIDHolder()
    private var starting: Task<RedisTestServer, Error>?

    func server() async throws -> RedisTestServer {
        if let starting { return try await starting.value }
        let task = Task { try await RedisTestServer() }
        starting = task
        do {
            let server = try await task.value
            if let pid = server.pid, Self.pidAtExit.set(pid, directory: server.directoryPath) {
                atexit { SharedRedisTestServer.pidAtExit.killAtExit() }
            }
            return server
        } catch {
            starting = nil
            throw error
        }
    }
}

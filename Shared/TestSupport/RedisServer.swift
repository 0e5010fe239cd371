import Foundation
import Redis
import Synchronization

#if canImport(Glibc)
import Glibc
#endif

/// A throwaway `redis-server` on a free loopback port, started as a child process for tests
/// (no persistence, its own temporary directory), or an external server named by
/// `KEFU_TEST_REDIS_URL`. Tests isolate themselves with ``uniquePrefix(_:)`` keys.
public final class RedisTestServer: Sendable {
    /// The URL of the server, with the password percent-encoded if there is one.
    public let url: String
    /// The loopback port (0 for an external server).
    public let port: Int
    private let arguments: [String]
    private let directory: String?
    private let child = Mutex<ChildProcess?>(nil)

    /// Starts a new server. `password` adds `--requirepass`; `arguments` are extra server options.
    public init(password: String? = nil, arguments: [String] = []) async throws {
        signal(SIGPIPE, SIG_IGN)
        var extra = arguments
        if let password { extra += ["--requirepass", password] }
        let directory = try Self.makeDirectory()
        var lastError: Error = RedisTestServerError.startFailed("no attempt made")
        var started: (Int, ChildProcess)?
        for _ in 0..<5 {
            let port = try Self.freePort()
            do {
                started = (port, try await Self.launch(port: port, arguments: extra, directory: directory))
                break
            } catch {
                lastError = error
            }
        }
        guard let (port, process) = started else {
            try? FileManager.default.removeItem(atPath: directory)
            throw lastError
        }
        self.arguments = extra
        self.directory = directory
        self.port = port
        let auth = password.map { ":\(Self.percentEncode($0))@" } ?? ""
        self.url = "redis://\(auth)127.0.0.1:\(port)"
        self.child.withLock { $0 = process }
    }

    private init(externalURL: String) {
        signal(SIGPIPE, SIG_IGN)
        self.url = externalURL
        self.port = 0
        self.arguments = []
        self.directory = nil
    }

    deinit {
        child.withLock { $0?.signal(SIGKILL) }
        if let directory { try? FileManager.default.removeItem(atPath: directory) }
    }

    /// The server for this test process: `KEFU_TEST_REDIS_URL` if set, else one started on first
    /// use and stopped when the process exits.
    public static func shared() async throws -> RedisTestServer {
        if let url = ProcessInfo.processInfo.environment["KEFU_TEST_REDIS_URL"], !url.isEmpty {
            return RedisTestServer(externalURL: url)
        }
        return try await SharedRedisTestServer.instance.server()
    }

    /// The parsed configuration for ``url``.
    public var configuration: RedisConfiguration {
        get throws { try RedisConfiguration(url: url) }
    }

    /// The server's temporary directory (nil for an external server).
    var directoryPath: String? { directory }

    /// The child's process id while it runs (nil for an external server).
    public var pid: Int32? {
        child.withLock { child in child.flatMap { $0.isRunning ? $0.pid : nil } }
    }

    /// Stops the server (SIGTERM, or SIGKILL when `kill` is true) and waits for it to exit.
    public func stop(kill: Bool = false) async {
        guard let process = child.withLock({ current -> ChildProcess? in
            defer { current = nil }
            return current
        }) else { return }
        process.signal(kill ? SIGKILL : SIGTERM)
        await process.waitForExit()
    }

    /// Starts the server again on the same port (after ``stop(kill:)``).
    public func start() async throws {
        guard let directory, child.withLock({ $0 == nil }) else { return }
        var lastError: Error?
        for _ in 0..<20 {
            do {
                let process = try await Self.launch(port: port, arguments: arguments, directory: directory)
                child.withLock { $0 = process }
                return
            } catch {
                lastError = error
                try await Task.sleep(for: .milliseconds(100))
            }
        }
        throw lastError ?? RedisTestServerError.startFailed("restart on port \(port) failed")
    }

    /// Stops the server and removes its directory.
    public func cleanup() async {
        await stop()
        if let directory { try? FileManager.default.removeItem(atPath: directory) }
    }

    /// A random key prefix such as `t:3f9a1c2b:` so tests sharing a server do not collide.
    public static func uniquePrefix(_ label: String = "t") -> String {
        "\(label):\(String(UInt32.random(in: .min ... .max), radix: 16)):"
    }

    private static func launch(port: Int, arguments: [String], directory: String) async throws -> ChildProcess {
        let process = try ChildProcess(path: try redisServerPath(), arguments: [
            "--port", String(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no",
            "--dir", directory, "--daemonize", "no", "--logfile", "\(directory)/redis-\(port).log",
        ] + arguments)
        var probe = RedisConfiguration(host: "127.0.0.1", port: port)
        probe.connectTimeout = .milliseconds(200)
        probe.readTimeout = .seconds(1)
        let configuration = probe
        let deadline = ContinuousClock.now + .seconds(10)
        while ContinuousClock.now < deadline {
            guard process.isRunning else {
                throw RedisTestServerError.startFailed("redis-server exited at start on port \(port) (port taken?)")
            }
            let answered = await offPool { () -> Bool in
                let connection = RedisConnection(configuration: configuration)
                defer { connection.close() }
                guard let reply = try? connection.command(["PING"]) else { return false }
                return reply == .status("PONG") || reply.errorMessage?.hasPrefix("NOAUTH") == true
            }
            if answered { return process }
            try await Task.sleep(for: .milliseconds(20))
        }
        process.signal(SIGKILL)
        throw RedisTestServerError.startFailed("redis-server on port \(port) did not answer PING within 10 s")
    }

    static func redisServerPath() throws -> String {
        let environment = ProcessInfo.processInfo.environment
        if let path = environment["REDIS_SERVER"], !path.isEmpty { return path }
        let directories = (environment["PATH"] ?? "").split(separator: ":").map(String.init)
        for directory in directories + ["/usr/bin", "/usr/local/bin"] {
            let candidate = "\(directory)/redis-server"
            if FileManager.default.isExecutableFile(atPath: candidate) { return candidate }
        }
        throw RedisTestServerError.startFailed("redis-server not found; apt-get install -y redis-server or set REDIS_SERVER")
    }

    static func makeDirectory() throws -> String {
        let path = NSTemporaryDirectory() + "kefu-redis-test-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        return path
    }

    static func freePort() throws -> Int {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { throw RedisTestServerError.startFailed("socket() failed: errno \(errno)") }
        defer { close(fd) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = 0
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        let bound = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                bind(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size))
            }
        }
        guard bound == 0 else { throw RedisTestServerError.startFailed("bind() failed: errno \(errno)") }
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let named = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(fd, $0, &length) }
        }
        guard named == 0 else { throw RedisTestServerError.startFailed("getsockname() failed: errno \(errno)") }
        return Int(UInt16(bigEndian: address.sin_port))
    }

    private static func percentEncode(_ text: String) -> String {
        text.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? text
    }

    /// Runs blocking work on a Dispatch global thread, never on the cooperative pool.
    static func offPool<T: Sendable>(_ work: @escaping @Sendable () -> T) async -> T {
        await withCheckedContinuation { continuation in
            DispatchQueue.global().async { continuation.resume(returning: work()) }
        }
    }
}

import Foundation
import NIOConcurrencyHelpers
import Postgres

#if canImport(Glibc)
import Glibc
#endif

/// A throwaway PostgreSQL server for integration tests.
///
/// ``launch()`` runs `initdb` (trust auth, superuser `postgres`, `--no-sync`) in a temporary folder
/// and starts `postgres` on a free port on 127.0.0.1 with `fsync=off`. As root, both run as the
/// `postgres` user (PostgreSQL refuses root). Binaries come from `KEFU_PG_BIN`, else the newest
/// `/usr/lib/postgresql/*/bin`.
///
/// ``shared()`` returns one server per test process: the external server named by
/// `KEFU_TEST_DATABASE_URL` if set (then ``stop()`` and ``start()`` throw; tests that need a restart
/// launch their own), else a lazily launched local one that is stopped and deleted at process exit.
public final class PostgresTestServer: Sendable {
    /// Superuser URL of the `postgres` database.
    public let url: String
    /// TCP port on 127.0.0.1 (or the external server's port).
    public let port: Int
    /// True for a server from `KEFU_TEST_DATABASE_URL`, which tests may not stop.
    public let isExternal: Bool
    private let baseDirectory: String?
    private let binDirectory: String?
    private let isRunning: NIOLockedValueBox<Bool>

    private init(url: String, port: Int, isExternal: Bool, baseDirectory: String?, binDirectory: String?, isRunning: Bool) {
        self.url = url
        self.port = port
        self.isExternal = isExternal
        self.baseDirectory = baseDirectory
        self.binDirectory = binDirectory
        self.isRunning = NIOLockedValueBox(isRunning)
    }

    /// The process-wide server (external if `KEFU_TEST_DATABASE_URL` is set, else launched once).
    public static func shared() async throws -> PostgresTestServer {
        try await SharedTestServer.instance.server()
    }

    /// Launches a dedicated local server (ignores `KEFU_TEST_DATABASE_URL`). Call ``cleanup()`` when done.
    public static func launch() async throws -> PostgresTestServer {
        let bin = try findBinDirectory()
        let base = FileManager.default.temporaryDirectory
            .appendingPathComponent("kefu-pg-\(UUID().uuidString.prefix(8).lowercased())").path
        try FileManager.default.createDirectory(atPath: base, withIntermediateDirectories: true)
        try giveToPostgresUser(base)
        TestServerRegistry.register(base)
        do {
            try await runAsPostgres(
                bin + "/initdb",
                ["-D", base + "/data", "-U", "postgres", "--auth=trust", "--no-sync", "-E", "UTF8",
                 "--locale=C", "--no-instructions"],
                log: base + "/initdb.log")
            var lastError: (any Error)?
            for _ in 0..<3 {
                let port = try freePort()
                let server = PostgresTestServer(
                    url: "postgres://postgres@127.0.0.1:\(port)/postgres?sslmode=disable", port: port,
                    isExternal: false, baseDirectory: base, binDirectory: bin, isRunning: false)
                do {
                    try await server.start()
                    return server
                } catch {
                    lastError = error
                }
            }
            throw lastError ?? PostgresTestServerError.notAvailable("could not start PostgreSQL")
        } catch {
            TestServerRegistry.stopAndRemove(base)
            throw error
        }
    }

    static func external(url: String) throws -> PostgresTestServer {
        let configuration = try PostgresConfiguration(url: url)
        return PostgresTestServer(
            url: url, port: configuration.port, isExternal: true, baseDirectory: nil, binDirectory: nil, isRunning: true)
    }

    /// Starts the server (again) on the same port and data folder; waits until it accepts connections.
    public func start() async throws {
        guard let base = baseDirectory, let bin = binDirectory else {
            throw PostgresTestServerError.unsupported("cannot start an external server (KEFU_TEST_DATABASE_URL)")
        }
        let options = [
            "-p \(port)", "-k \(base)", "-c listen_addresses=127.0.0.1", "-c fsync=off",
            "-c synchronous_commit=off", "-c full_page_writes=off", "-c max_connections=100",
        ].joined(separator: " ")
        try await Self.runAsPostgres(
            bin + "/pg_ctl",
            ["-D", base + "/data", "-l", base + "/server.log", "-w", "-t", "30", "-o", options, "start"],
            log: base + "/pg_ctl.log")
        isRunning.withLockedValue { $0 = true }
    }

    /// Stops the server (fast shutdown: sessions are terminated) and waits until it is down.
    public func stop() async throws {
        guard let base = baseDirectory, let bin = binDirectory else {
            throw PostgresTestServerError.unsupported("cannot stop an external server (KEFU_TEST_DATABASE_URL)")
        }
        try await Self.runAsPostgres(
            bin + "/pg_ctl", ["-D", base + "/data", "-m", "fast", "-w", "-t", "30", "stop"], log: base + "/pg_ctl.log")
        isRunning.withLockedValue { $0 = false }
    }

    /// Stops the server if running and deletes its folder. Does nothing for an external server.
    public func cleanup() async {
        guard let base = baseDirectory else { return }
        if isRunning.withLockedValue({ $0 }) {
            try? await stop()
        }
        TestServerRegistry.stopAndRemove(base)
    }

    /// Creates an empty database with a random name and returns its URL (same credentials).
    public func makeDatabase(prefix: String = "kefu_test") async throws -> String {
        let name = prefix + "_" + UUID().uuidString.replacingOccurrences(of: "-", with: "").prefix(12).lowercased()
        var configuration = try PostgresConfiguration(url: url)
        configuration.poolSize = 1
        let client = PostgresClient(configuration: configuration)
        do {
            try await client.execute("CREATE DATABASE \(name)")
        } catch {
            try? await client.shutdown()
            throw error
        }
        try await client.shutdown()
        configuration.database = name
        configuration.poolSize = 4
        return configuration.url
    }

    /// Drops a database made by ``makeDatabase(prefix:)``, terminating its sessions.
    public func dropDatabase(url databaseURL: String) async throws {
        let name = try PostgresConfiguration(url: databaseURL).database
        let client = PostgresClient(configuration: try PostgresConfiguration(url: url))
        do {
            try await client.execute("DROP DATABASE IF EXISTS \(try await client.escapeIdentifierName(name)) WITH (FORCE)")
        } catch {
            try? await client.shutdown()
            throw error
        }
        try await client.shutdown()
    }

    // MARK: - Processes

    private static func findBinDirectory() throws -> String {
        if let configured = ProcessInfo.processInfo.environment["KEFU_PG_BIN"], !configured.isEmpty {
            return configured
        }
        let root = "/usr/lib/postgresql"
        let versions = (try? FileManager.default.contentsOfDirectory(atPath: root)) ?? []
        let best = versions.compactMap { name -> (Int, String)? in
            guard let number = Int(name), FileManager.default.isExecutableFile(atPath: "\(root)/\(name)/bin/initdb")
            else { return nil }
            return (number, "\(root)/\(name)/bin")
        }.max { $0.0 < $1.0 }
        guard let best else {
            throw PostgresTestServerError.notAvailable(
                "no PostgreSQL server binaries in \(root)/*/bin; install postgresql or set KEFU_PG_BIN")
        }
        return best.1
    }

    private static var isRoot: Bool { getuid() == 0 }

    private static func giveToPostgresUser(_ path: String) throws {
        guard isRoot else { return }
        guard let entry = getpwnam("postgres") else {
            throw PostgresTestServerError.notAvailable("running as root but there is no 'postgres' user")
        }
        guard chown(path, entry.pointee.pw_uid, entry.pointee.pw_gid) == 0 else {
            throw PostgresTestServerError.notAvailable("cannot chown \(path) to postgres")
        }
    }

    /// Runs a command (through `runuser -u postgres --` when root), output appended to `log`.
    private static func runAsPostgres(_ executable: String, _ arguments: [String], log: String) async throws {
        let status: Int32
        if isRoot {
            status = try await CommandRunner.run("/usr/sbin/runuser", ["-u", "postgres", "--", executable] + arguments, log: log)
        } else {
            status = try await CommandRunner.run(executable, arguments, log: log)
        }
        guard status == 0 else {
            let text = (try? String(contentsOfFile: log, encoding: .utf8)) ?? ""
            throw PostgresTestServerError.commandFailed(
                command: ([executable] + arguments).joined(separator: " "), status: status,
                output: String(text.suffix(2000)))
        }
    }

    /// A TCP port on 127.0.0.1 that was free a moment ago.
    private static func freePort() throws -> Int {
        let descriptor = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard descriptor >= 0 else { throw PostgresTestServerError.notAvailable("socket() failed") }
        defer { close(descriptor) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = 0
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let bound = withUnsafeMutablePointer(to: &address) { pointer in
            pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) { socketAddress in
                bind(descriptor, socketAddress, length) == 0 && getsockname(descriptor, socketAddress, &length) == 0
            }
        }
        guard bound else { throw PostgresTestServerError.notAvailable("cannot bind a loopback port") }
        return Int(UInt16(bigEndian: address.sin_port))
    }
}

extension PostgresClient {
    fileprivate func escapeIdentifierName(_ name: String) async throws -> String {
        try await withConnection { try $0.escapeIdentifier(name) }
    }
}

/// Why a test server could not be used.
public enum PostgresTestServerError: Error, CustomStringConvertible {
    /// A server command (initdb, pg_ctl) failed; `output` is the end of its log.
    case commandFailed(command: String, status: Int32, output: String)
    /// PostgreSQL binaries or the `postgres` user are missing.
    case notAvailable(String)
    /// The operation needs a local server, but this one is external.
    case unsupported(String)

    public var description: String {
        switch self {
        case .commandFailed(let command, let status, let output):
            return "\(command) exited with \(status): \(output)"
        case .notAvailable(let reason), .unsupported(let reason):
            return reason
        }
    }
}

/// Memoizes the process-wide server.
private actor SharedTestServer {
    static let instance = SharedTestServer()
    private var task: Task<PostgresTestServer, any Error>?

    func server() async throws -> PostgresTestServer {
        if let task {
            return try await task.value
        }
        let task = Task<PostgresTestServer, any Error> {
            if let external = ProcessInfo.processInfo.environment["KEFU_TEST_DATABASE_URL"], !external.isEmpty {
                return try PostgresTestServer.external(url: external)
            }
            return try await PostgresTestServer.launch()
        }
        self.task = task
        return try await task.value
    }
}

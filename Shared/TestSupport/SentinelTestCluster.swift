import Foundation
import Redis
import Synchronization

#if canImport(Glibc)
import Glibc
#endif

/// A throwaway Redis Sentinel setup on free loopback ports, for failover tests: one primary, one or more
/// replicas (`--replicaof`) and three sentinels (`sentinel monitor <name> 127.0.0.1 <primary> 2`, down after 1 s,
/// failover timeout 3 s). Everything is killed by ``cleanup()`` (or when the value is dropped).
public final class SentinelTestCluster: Sendable {
    /// The name the sentinels monitor the primary under.
    public let masterName: String
    /// The server that starts as primary.
    public let primary: RedisTestServer
    /// The server that starts as its (first) replica.
    public let replica: RedisTestServer
    /// Every replica the setup started with (``replica`` first).
    public let replicas: [RedisTestServer]
    /// The sentinels' ports.
    public let sentinelPorts: [Int]
    /// The data servers' password (`requirepass`, `masterauth`), if any.
    public let password: String?
    /// The sentinels' password (`requirepass`, `sentinel sentinel-pass`), if any.
    public let sentinelPassword: String?
    private let directory: String
    private let sentinels: Mutex<[ChildProcess]>

    /// `redis+sentinel://[:<password>@]127.0.0.1:<s1>,127.0.0.1:<s2>,127.0.0.1:<s3>/<masterName>[?sentinel_password=…]`.
    public var url: String {
        let auth = password.map { ":\(Self.percentEncode($0))@" } ?? ""
        let query = sentinelPassword.map { "?sentinel_password=\(Self.percentEncode($0))" } ?? ""
        let hosts = sentinelPorts.map { "127.0.0.1:\($0)" }.joined(separator: ",")
        return "redis+sentinel://\(auth)\(hosts)/\(masterName)\(query)"
    }

    private static func percentEncode(_ text: String) -> String {
        text.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? text
    }

    /// Starts the servers and sentinels and waits until the sentinels see the replica and each other.
    /// `password` protects the primary and replicas, `sentinelPassword` the sentinels; `replicaCount` replicas.
    public init(
        masterName: String = "mymaster", password: String? = nil, sentinelPassword: String? = nil, replicaCount: Int = 1
    ) async throws {
        self.masterName = masterName
        self.password = password
        self.sentinelPassword = sentinelPassword
        let masterAuth = password.map { ["--masterauth", $0] } ?? []
        let primary = try await RedisTestServer(password: password, arguments: masterAuth)
        var replicas: [RedisTestServer] = []
        do {
            for _ in 0..<max(1, replicaCount) {
                replicas.append(try await RedisTestServer(
                    password: password, arguments: masterAuth + ["--replicaof", "127.0.0.1", String(primary.port)]))
            }
        } catch {
            await primary.cleanup()
            for replica in replicas { await replica.cleanup() }
            throw error
        }
        self.primary = primary
        self.replica = replicas[0]
        self.replicas = replicas
        let directory = try RedisTestServer.makeDirectory()
        self.directory = directory
        var processes: [ChildProcess] = []
        var ports: [Int] = []
        do {
            for index in 0..<3 {
                let (port, process) = try await Self.launchSentinel(
                    index: index, masterName: masterName, primaryPort: primary.port, directory: directory,
                    password: password, sentinelPassword: sentinelPassword)
                ports.append(port)
                processes.append(process)
            }
        } catch {
            processes.forEach { $0.signal(SIGKILL) }
            await primary.cleanup()
            for replica in replicas { await replica.cleanup() }
            try? FileManager.default.removeItem(atPath: directory)
            throw error
        }
        self.sentinelPorts = ports
        self.sentinels = Mutex(processes)
        do {
            try await waitUntilMonitored()
        } catch {
            await cleanup()
            throw error
        }
    }

    deinit {
        sentinels.withLock { $0.forEach { $0.signal(SIGKILL) } }
        try? FileManager.default.removeItem(atPath: directory)
    }

    /// Sends one command to sentinel `index` (0…2).
    public func sentinelCommand(_ index: Int, _ arguments: [String]) async throws -> RedisReply {
        let configuration = RedisConfiguration(host: "127.0.0.1", port: sentinelPorts[index], password: sentinelPassword,
                                               connectTimeout: .milliseconds(300), readTimeout: .seconds(2))
        return try await Self.command(configuration, arguments)
    }

    /// Sends one command straight to a data server on `port` (no Sentinel involved).
    public func directCommand(port: Int, _ arguments: [String]) async throws -> RedisReply {
        let configuration = RedisConfiguration(host: "127.0.0.1", port: port, password: password,
                                               connectTimeout: .milliseconds(300), readTimeout: .seconds(2))
        return try await Self.command(configuration, arguments)
    }

    /// Waits until every sentinel names a primary other than `oldPort` and that server's `ROLE` is master;
    /// returns its port.
    public func waitForFailover(from oldPort: Int, timeout: Duration = .seconds(30)) async throws -> Int {
        let deadline = ContinuousClock.now + timeout
        while ContinuousClock.now < deadline {
            var ports: Set<Int> = []
            for index in sentinelPorts.indices {
                let reply = try? await sentinelCommand(index, ["SENTINEL", "get-master-addr-by-name", masterName])
                ports.insert(reply?.array?.last?.int.map(Int.init) ?? -1)
            }
            if ports.count == 1, let port = ports.first, port > 0, port != oldPort,
               let role = try? await directCommand(port: port, ["ROLE"]), role.array?.first?.string == "master" {
                return port
            }
            try await Task.sleep(for: .milliseconds(100))
        }
        throw RedisTestServerError.startFailed("the sentinels did not promote a new primary within \(timeout)")
    }

    /// Kills the sentinels and both servers and removes their files.
    public func cleanup() async {
        let processes = sentinels.withLock { current in
            defer { current = [] }
            return current
        }
        for process in processes {
            process.signal(SIGKILL)
            await process.waitForExit()
        }
        await primary.cleanup()
        for replica in replicas { await replica.cleanup() }
        try? FileManager.default.removeItem(atPath: directory)
    }

    /// Every sentinel must know the replicas and the two other sentinels, and the replicas must be in sync,
    /// before a failover can succeed.
    private func waitUntilMonitored() async throws {
        let deadline = ContinuousClock.now + .seconds(20)
        while ContinuousClock.now < deadline {
            var ready = true
            for index in sentinelPorts.indices {
                let master = try? await sentinelCommand(index, ["SENTINEL", "MASTER", masterName])
                let fields = Self.fields(master)
                if fields["num-slaves"] != String(replicas.count) || fields["num-other-sentinels"] != "2" { ready = false }
            }
            for replica in replicas {
                let info = try? await directCommand(port: replica.port, ["INFO", "replication"])
                if info?.string?.contains("master_link_status:up") != true { ready = false }
            }
            if ready { return }
            try await Task.sleep(for: .milliseconds(100))
        }
        throw RedisTestServerError.startFailed("the sentinels did not see the replicas and each other within 20 s")
    }

    private static func fields(_ reply: RedisReply?) -> [String: String] {
        let flat = reply?.array ?? []
        var fields: [String: String] = [:]
        var index = 0
        while index + 1 < flat.count {
            fields[flat[index].string ?? ""] = flat[index + 1].string
            index += 2
        }
        return fields
    }

    private static func command(_ configuration: RedisConfiguration, _ arguments: [String]) async throws -> RedisReply {
        let result: Result<RedisReply, RedisError> = await RedisTestServer.offPool {
            let connection = RedisConnection(configuration: configuration)
            defer { connection.close() }
            do throws(RedisError) {
                return .success(try connection.command(arguments))
            } catch {
                return .failure(error)
            }
        }
        return try result.get()
    }

    private static func launchSentinel(
        index: Int, masterName: String, primaryPort: Int, directory: String, password: String?, sentinelPassword: String?
    ) async throws -> (Int, ChildProcess) {
        var secrets = ""
        if let password { secrets += "sentinel auth-pass \(masterName) \(password)\n" }
        if let sentinelPassword { secrets += "requirepass \(sentinelPassword)\nsentinel sentinel-pass \(sentinelPassword)\n" }
        var lastError: any Error = RedisTestServerError.startFailed("no attempt made")
        for _ in 0..<5 {
            let port = try RedisTestServer.freePort()
            let path = "\(directory)/sentinel-\(index).conf"
            let text = """
                port \(port)
                bind 127.0.0.1
                daemonize no
                dir \(directory)
                logfile \(directory)/sentinel-\(port).log
                sentinel monitor \(masterName) 127.0.0.1 \(primaryPort) 2
                sentinel down-after-milliseconds \(masterName) 1000
                sentinel failover-timeout \(masterName) 3000
                sentinel parallel-syncs \(masterName) 1
                \(secrets)
                """
            try text.write(toFile: path, atomically: true, encoding: .utf8)
            let process = try ChildProcess(path: try RedisTestServer.redisServerPath(), arguments: [path, "--sentinel"])
            let probe = RedisConfiguration(host: "127.0.0.1", port: port,
                                           connectTimeout: .milliseconds(200), readTimeout: .seconds(1))
            let deadline = ContinuousClock.now + .seconds(10)
            while ContinuousClock.now < deadline, process.isRunning {
                if let reply = try? await command(probe, ["PING"]),
                   reply == .status("PONG") || reply.errorMessage?.hasPrefix("NOAUTH") == true {
                    return (port, process)
                }
                try await Task.sleep(for: .milliseconds(20))
            }
            process.signal(SIGKILL)
            lastError = RedisTestServerError.startFailed("redis sentinel on port \(port) did not answer PING")
        }
        throw lastError
    }
}

import Foundation
import KefuModel
import Postgres
import Redis
import Testing
import TestSupport

/// The five executables start, migrate their schema, report ready, join their consumer groups and stop
/// cleanly on SIGTERM — run as real processes against real Redis and PostgreSQL.
@Suite(.serialized)
struct ServiceExecutablesTests {
    struct Case: Sendable, CustomStringConvertible {
        let name: String
        let groups: [String]
        var migrations: [Int] = [1]
        var description: String { name }
    }

    /// Starts `kefu-<service>` against `redis` and `database` on a free port with a fresh stream prefix.
    static func launch(
        _ service: String, redis: String, database: String, _ extra: [String: String] = [:]
    ) throws -> (process: TestProcess, port: Int, prefix: String) {
        let port = HTTPProbe.freePort()
        let prefix = "t\(UInt32.random(in: 0...UInt32.max))"
        var environment = [
            "REDIS_URL": redis, "DATABASE_URL": database, "HTTP_PORT": "\(port)", "KEFU_STREAM_PREFIX": prefix,
            "KEFU_GATEWAY_SECRET": "test-secret-of-at-least-32-bytes-0123456789",
        ]
        environment.merge(extra) { _, new in new }
        return (try TestProcess(executable: TestProcess.product("kefu-\(service)"), environment: environment), port, prefix)
    }

    static let cases: [Case] = [
        Case(name: "gateway", groups: [], migrations: [1, 2, 3, 4, 5, 6, 7]),
        Case(name: "routing", groups: ["inbound", "commands", "requests:routing"], migrations: [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11]),
        Case(name: "store", groups: ["events", "requests:store"], migrations: [1, 2, 3, 4, 5, 6]),
        Case(name: "knowledge", groups: ["events", "requests:knowledge"], migrations: [1, 2, 3, 4, 5, 6]),
        Case(name: "reporting", groups: ["events", "requests:reporting"], migrations: [1, 2, 3, 4, 5, 6, 7, 8]),
    ]

    @Test(arguments: cases)
    func startsMigratesJoinsAndStopsCleanly(_ service: Case) async throws {
        let redis = try await RedisTestServer.shared()
        let database = try await PostgresTestServer.shared().makeDatabase()
        let (process, port, prefix) = try Self.launch(
            service.name, redis: redis.url, database: database, ["KEFU_INSTANCE": "test-0", "KEFU_STREAM_BLOCK_MS": "200"])
        defer { process.terminate() }

        let ready = try await HTTPProbe.waitFor("http://127.0.0.1:\(port)/ready", timeout: .seconds(60))
        #expect(ready != nil, "not ready: \(process.output())")
        #expect(ready?.text.contains("\"ready\":true") == true)
        let metrics = try await HTTPProbe.get("http://127.0.0.1:\(port)/metrics")
        #expect(metrics.status == 200)
        #expect((try await HTTPProbe.get("http://127.0.0.1:\(port)/health")).status == 200)

        let postgres = PostgresClient(configuration: try PostgresConfiguration(url: database), logger: .init(label: "test"))
        let versions = try await postgres.query("SELECT version FROM \(service.name).schema_migrations ORDER BY version")
        #expect(try versions.map { try $0.decode(Int.self, at: 0) } == service.migrations)
        try await postgres.shutdown()

        let client = RedisClient(configuration: try RedisConfiguration(url: redis.url), logger: .init(label: "test"))
        // With KEFU_TEST_STREAM_PARTITIONS (KEFU_STREAM_PARTITIONS) the groups are on every partition.
        let count = ProcessInfo.processInfo.environment["KEFU_STREAM_PARTITIONS"].flatMap(Int.init) ?? 1
        let names = try StreamNames(prefix: prefix, partitions: count)
        for stream in service.groups.flatMap({ names.partitions(of: "\(prefix):\($0)") }) {
            let groups = try await client.send(["XINFO", "GROUPS", stream])
            #expect(groups.array?.count == 1, "no group on \(stream)")
            let fields = groups.array?.first?.array?.compactMap(\.string) ?? []
            #expect(fields.contains(service.name), "group on \(stream): \(fields)")
        }
        await client.shutdown()

        process.send(SIGTERM)
        let status = await process.waitForExit(timeout: .seconds(20))
        #expect(status == 0, "exit status \(String(describing: status)): \(process.output())")
        #expect(process.output().contains("stopped cleanly"))
    }

    @Test(arguments: [
        (["REDIS_URL": "nope://x"], "REDIS_URL"),
        (["DATABASE_URL": "postgres://[broken"], "DATABASE_URL"),
        (["REDIS_URL": ""], "REDIS_URL is not set"),
        (["HTTP_PORT": "seventy"], "HTTP_PORT"),
        (["LOG_FORMAT": "xml"], "LOG_FORMAT"),
        (["REDIS_URL": "redis+cluster://127.0.0.1:1?foo=1"], "unknown query parameter 'foo', expected max_redirects or retry_timeout_ms"),
        (["REDIS_URL": "redis+cluster://127.0.0.1:1"], "KEFU_STREAM_PREFIX=kefu is invalid: on a Redis Cluster the prefix needs a {hash tag}"),
        (["KEFU_REDIS_WAIT_REPLICAS": "many"], "KEFU_REDIS_WAIT_REPLICAS"),
        (["REDIS_URL": "redis+cluster://127.0.0.1:1", "KEFU_STREAM_PREFIX": "{kefu}", "KEFU_REDIS_WAIT_REPLICAS": "1"],
         "KEFU_REDIS_WAIT_REPLICAS=1 is invalid: applies to one primary"),
    ])
    func badConfigurationExitsWithOneLineNamingTheVariable(_ override: [String: String], _ named: String) async throws {
        var environment = [
            "REDIS_URL": "redis://127.0.0.1:1/0", "DATABASE_URL": "postgres://kefu:secret@127.0.0.1:1/kefu",
        ]
        environment.merge(override) { _, new in new }
        let process = try TestProcess(executable: TestProcess.product("kefu-routing"), environment: environment)
        defer { process.terminate() }
        let status = await process.waitForExit(timeout: .seconds(10))
        #expect(status == 2)
        let output = process.output().trimmingCharacters(in: .whitespacesAndNewlines)
        #expect(output.split(separator: "\n").count == 1, "\(output)")
        #expect(output.contains(named), "\(output)")
        #expect(!output.contains("secret"))
    }

    @Test func unreachableServersAreRetriedAndReadyFollowsThem() async throws {
        let redis = try await RedisTestServer()
        await redis.stop()
        let database = try await PostgresTestServer.shared().makeDatabase()
        let (process, port, _) = try Self.launch("store", redis: redis.url, database: database)
        defer { process.terminate() }

        let health = try await HTTPProbe.waitFor("http://127.0.0.1:\(port)/health", timeout: .seconds(30))
        #expect(health != nil)
        let notReady = try await HTTPProbe.get("http://127.0.0.1:\(port)/ready")
        #expect(notReady.status == 503)
        #expect(notReady.text.contains("\"redis\":false"))
        try await Task.sleep(for: .seconds(1))
        #expect(process.output().contains("Redis not available yet; retrying"))

        try await redis.start()
        let ready = try await HTTPProbe.waitFor("http://127.0.0.1:\(port)/ready", timeout: .seconds(30))
        #expect(ready != nil, "\(process.output())")
        process.send(SIGTERM)
        #expect(await process.waitForExit(timeout: .seconds(20)) == 0)
        await redis.cleanup()
    }

    @Test func unreachablePostgresIsRetriedAndReadyFollowsIt() async throws {
        let postgres = try await PostgresTestServer.launch()
        let database = try await postgres.makeDatabase()
        try await postgres.stop()
        let redis = try await RedisTestServer.shared()
        let (process, port, _) = try Self.launch("knowledge", redis: redis.url, database: database)
        defer { process.terminate() }

        #expect(try await HTTPProbe.waitFor("http://127.0.0.1:\(port)/health", timeout: .seconds(30)) != nil)
        try await Task.sleep(for: .seconds(1))
        let notReady = try await HTTPProbe.get("http://127.0.0.1:\(port)/ready")
        #expect(notReady.status == 503)
        #expect(notReady.text.contains("\"postgres\":false"))
        #expect(notReady.text.contains("\"migrations\":false"))
        #expect(process.output().contains("PostgreSQL not available yet; retrying"))

        try await postgres.start()
        let ready = try await HTTPProbe.waitFor("http://127.0.0.1:\(port)/ready", timeout: .seconds(30))
        #expect(ready != nil, "\(process.output())")
        process.send(SIGTERM)
        #expect(await process.waitForExit(timeout: .seconds(20)) == 0)
        await postgres.cleanup()
    }

    @Test func jsonLogsAreOneObjectPerLine() async throws {
        let redis = try await RedisTestServer.shared()
        let database = try await PostgresTestServer.shared().makeDatabase()
        let (process, port, _) = try Self.launch("reporting", redis: redis.url, database: database, ["LOG_FORMAT": "json"])
        defer { process.terminate() }
        #expect(try await HTTPProbe.waitFor("http://127.0.0.1:\(port)/ready", timeout: .seconds(60)) != nil)
        process.send(SIGTERM)
        #expect(await process.waitForExit(timeout: .seconds(20)) == 0)

        let lines = process.output().split(separator: "\n")
        #expect(lines.count >= 3)
        for line in lines {
            let object = try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any]
            #expect(object?["level"] is String && object?["message"] is String && object?["time"] is String, "\(line)")
        }
        #expect(lines.contains { $0.contains("\"message\":\"stopped cleanly\"") })
    }
}

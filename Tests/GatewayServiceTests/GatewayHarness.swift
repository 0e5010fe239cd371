import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif
import KefuModel
import Logging
import Redis
import TestSupport

/// A running `kefu-gateway` (one or more instances sharing one Redis and one database) and the tools a
/// test needs: an HTTP client, a Redis client, and a stand-in for the other services that answers the
/// gateway's requests over the real stream protocol (the test reads what the gateway wrote and writes
/// `reply.result` entries to its reply stream).
final class GatewayHarness: @unchecked Sendable {
    static let secret = "test-gateway-secret-0123456789-abcdefghij"
    static let adminPassword = "admin-password-1"

    let redisURL: String
    let databaseURL: String
    let prefix: String
    let redis: RedisClient
    private(set) var instances: [(process: TestProcess, port: Int, name: String)] = []
    private(set) var services: [TestProcess] = []
    let responder: StreamResponder
    /// `KEFU_STREAM_PARTITIONS` given to every process started, when the test chose one (else inherited).
    let partitions: Int?

    /// Starts one gateway instance (more with ``addInstance(_:)``). With `redisURL` (e.g. a Redis Cluster's)
    /// every process uses that Redis, a hash-tagged prefix and `partitions`.
    init(_ environment: [String: String] = [:], redisURL: String? = nil, partitions: Int? = nil) async throws {
        if let redisURL {
            self.redisURL = redisURL
            prefix = "{g\(UInt32.random(in: 0...UInt32.max))}"
        } else {
            self.redisURL = try await RedisTestServer.shared().url
            prefix = "g\(UInt32.random(in: 0...UInt32.max))"
        }
        self.partitions = partitions
        databaseURL = try await PostgresTestServer.shared().makeDatabase()
        redis = RedisClient(configuration: try RedisConfiguration(url: self.redisURL), poolSize: 4, logger: Logger(label: "test"))
        responder = StreamResponder(redis: redis, prefix: prefix, partitions: partitions)
        try await addInstance(environment)
        responder.start()
    }

    /// Starts another instance against the same Redis, database and prefix.
    @discardableResult
    func addInstance(_ extra: [String: String] = [:]) async throws -> Int {
        let port = HTTPProbe.freePort()
        let name = "gw\(instances.count)"
        var environment = [
            "REDIS_URL": redisURL, "DATABASE_URL": databaseURL, "HTTP_PORT": "\(port)", "KEFU_STREAM_PREFIX": prefix,
            "KEFU_INSTANCE": name, "KEFU_GATEWAY_SECRET": Self.secret, "KEFU_BCRYPT_COST": "4",
            "KEFU_STREAM_BLOCK_MS": "100", "KEFU_GATEWAY_REQUEST_TIMEOUT_MS": "2000",
            "KEFU_BOOTSTRAP_ADMIN_USERNAME": "admin", "KEFU_BOOTSTRAP_ADMIN_PASSWORD": Self.adminPassword,
            "KEFU_RATE_VISITOR_PER_MIN": "100000", "KEFU_RATE_VISITOR_BURST": "10000",
            "KEFU_RATE_IP_PER_MIN": "1000000", "KEFU_RATE_IP_BURST": "100000", "KEFU_RATE_LOGIN_BURST": "1000",
            "KEFU_HEARTBEAT_INTERVAL_S": "1",
            "KEFU_HEARTBEAT_TTL_S": "5",
        ]
        if let partitions { environment["KEFU_STREAM_PARTITIONS"] = "\(partitions)" }
        environment.merge(extra) { _, new in new }
        // KEFU_TEST_GATEWAY_BINARY runs another build (e.g. release, for the socket soak's figures).
        let binary = ProcessInfo.processInfo.environment["KEFU_TEST_GATEWAY_BINARY"].map { URL(fileURLWithPath: $0) }
        let process = try TestProcess(executable: binary ?? TestProcess.product("kefu-gateway"), environment: environment)
        instances.append((process, port, name))
        guard try await HTTPProbe.waitFor("http://127.0.0.1:\(port)/ready", timeout: .seconds(60)) != nil else {
            throw HarnessError.notReady(process.output())
        }
        return instances.count - 1
    }

    /// Starts the real `kefu-<name>` (e.g. `store`) on the same Redis, database and prefix. Stop the stand-in
    /// answering for it by not handling its requests.
    func launchService(_ name: String) async throws {
        let port = HTTPProbe.freePort()
        var environment = [
            "REDIS_URL": redisURL, "DATABASE_URL": databaseURL, "HTTP_PORT": "\(port)", "KEFU_STREAM_PREFIX": prefix,
            "KEFU_INSTANCE": "\(name)-t", "KEFU_STREAM_BLOCK_MS": "100",
        ]
        if let partitions { environment["KEFU_STREAM_PARTITIONS"] = "\(partitions)" }
        let process = try TestProcess(executable: TestProcess.product("kefu-\(name)"), environment: environment)
        services.append(process)
        guard try await HTTPProbe.waitFor("http://127.0.0.1:\(port)/ready", timeout: .seconds(60)) != nil else {
            throw HarnessError.notReady(process.output())
        }
    }

    /// Stops everything.
    func shutdown() async {
        responder.stop()
        for service in services { service.terminate() }
        for instance in instances { instance.process.terminate() }
        await redis.shutdown()
    }

    /// The base URL of instance `index`.
    func base(_ index: Int = 0) -> String { "http://127.0.0.1:\(instances[index].port)" }

    /// The WebSocket base URL of instance `index`.
    func wsBase(_ index: Int = 0) -> String { "ws://127.0.0.1:\(instances[index].port)" }

    /// A stream name under this harness's prefix.
    func stream(_ suffix: String) -> String { "\(prefix):\(suffix)" }

    /// The stream names the started services use: `KEFU_STREAM_PARTITIONS` of this process (set by
    /// `KEFU_TEST_STREAM_PARTITIONS=4 scripts/test`), else one partition.
    var names: StreamNames {
        let count = partitions ?? ProcessInfo.processInfo.environment["KEFU_STREAM_PARTITIONS"].flatMap(Int.init) ?? 1
        return (try? StreamNames(prefix: prefix, partitions: count)) ?? .standard
    }

    // MARK: HTTP

    struct Reply: Sendable {
        let status: Int
        let headers: [String: String]
        let body: Data
        var text: String { String(decoding: body, as: UTF8.self) }
        var json: JSONValue? { try? JSONDecoder().decode(JSONValue.self, from: body) }
        var errorCode: String? { json?["error"]?["code"]?.stringValue }
        func header(_ name: String) -> String? {
            headers.first { $0.key.lowercased() == name.lowercased() }?.value
        }
    }

    /// Sends a request to instance `instance`.
    func request(
        _ method: String, _ path: String, token: String? = nil, json: JSONValue? = nil, body: Data? = nil,
        headers: [String: String] = [:], instance: Int = 0
    ) async throws -> Reply {
        var request = URLRequest(url: URL(string: base(instance) + path)!, timeoutInterval: 15)
        request.httpMethod = method
        if let token { request.setValue("Bearer \(token)", forHTTPHeaderField: "Authorization") }
        if let json {
            request.httpBody = try JSONEncoder().encode(json)
            request.setValue("application/json", forHTTPHeaderField: "Content-Type")
        } else if let body {
            request.httpBody = body
        }
        for (name, value) in headers { request.setValue(value, forHTTPHeaderField: name) }
        let (data, response) = try await URLSession.shared.data(for: request)
        let http = response as? HTTPURLResponse
        var fields: [String: String] = [:]
        for (key, value) in http?.allHeaderFields ?? [:] { fields["\(key)"] = "\(value)" }
        return Reply(status: http?.statusCode ?? 0, headers: fields, body: data)
    }

    /// Logs in; returns the access token, refresh token and agent id.
    func login(_ username: String = "admin", _ password: String = GatewayHarness.adminPassword) async throws -> (access: String, refresh: String, agentID: String) {
        var reply = try await request("POST", "/api/v1/auth/login", json: .object(["username": .string(username), "password": .string(password)]))
        let deadline = ContinuousClock.now + .seconds(10)
        while reply.status == 401, username == "admin", ContinuousClock.now < deadline {
            // The bootstrap admin is created right after the migrations; /ready may answer just before.
            try await Task.sleep(for: .milliseconds(100))
            reply = try await request("POST", "/api/v1/auth/login", json: .object(["username": .string(username), "password": .string(password)]))
        }
        guard reply.status == 200, let access = reply.json?["access_token"]?.stringValue,
              let refresh = reply.json?["refresh_token"]?.stringValue,
              let id = reply.json?["account"]?["agent_id"]?.stringValue else {
            throw HarnessError.unexpected("login \(username): \(reply.status) \(reply.text)")
        }
        return (access, refresh, id)
    }

    /// Creates an agent account as the admin and logs it in.
    func makeAgent(_ username: String, admin: String) async throws -> (access: String, refresh: String, agentID: String) {
        let reply = try await request("POST", "/api/v1/admin/accounts", token: admin, json: .object([
            "username": .string(username), "display_name": .string("客服\(username)"), "role": .string("agent"),
            "password": .string("agent-password-1"), "capacity": .integer(3),
        ]))
        guard reply.status == 201 else { throw HarnessError.unexpected("create \(username): \(reply.status) \(reply.text)") }
        return try await login(username, "agent-password-1")
    }

    /// Starts a visitor session; returns the token and visitor id.
    func visitor(channel: String = "web-pc", instance: Int = 0) async throws -> (token: String, visitorID: String) {
        let reply = try await request("POST", "/api/v1/visitor/sessions", json: .object(["channel": .string(channel)]), instance: instance)
        guard let token = reply.json?["token"]?.stringValue, let id = reply.json?["visitor_id"]?.stringValue else {
            throw HarnessError.unexpected("visitor session: \(reply.status) \(reply.text)")
        }
        return (token, id)
    }

    // MARK: Streams

    /// Appends an event (as routing would) to the events stream; returns its envelope id.
    @discardableResult
    func publishEvent(_ type: String, _ data: [String: JSONValue]) async throws -> String {
        let id = UUID().uuidString.lowercased()
        let envelope: JSONValue = .object([
            "id": .string(id), "type": .string(type), "version": .integer(1), "time": .string(Timestamp.now().rfc3339),
            "source": .string("routing"), "data": .object(data),
        ])
        let bytes = String(decoding: try JSONEncoder().encode(envelope), as: UTF8.self)
        _ = try await redis.send(["XADD", names.partition(of: stream("events"), envelope: Array(bytes.utf8)), "*", "event", bytes])
        return id
    }

    /// Entries of `stream` (suffix) as JSON envelopes; of every partition, by entry id, when partitioned.
    func entries(_ suffix: String) async throws -> [JSONValue] {
        func order(_ id: String) -> [UInt64] { id.split(separator: "-").compactMap { UInt64($0) } }
        var items: [(id: [UInt64], envelope: JSONValue)] = []
        for partition in names.partitions(of: stream(suffix)) {
            let reply = try await redis.send(["XRANGE", partition, "-", "+"])
            for item in reply.array ?? [] {
                guard let id = item.array?.first?.string.map(order), let fields = item.array?.last?.array,
                      fields.count >= 2, let bytes = fields[1].bytes,
                      let envelope = try? JSONDecoder().decode(JSONValue.self, from: Data(bytes))
                else { continue }
                items.append((id, envelope))
            }
        }
        return items.sorted { $0.id.lexicographicallyPrecedes($1.id) }.map(\.envelope)
    }

    /// Polls `condition` until true or `timeout`.
    func eventually(timeout: Duration = .seconds(10), _ condition: () async throws -> Bool) async throws -> Bool {
        let deadline = ContinuousClock.now + timeout
        while ContinuousClock.now < deadline {
            if try await condition() { return true }
            try await Task.sleep(for: .milliseconds(50))
        }
        return false
    }
}

enum HarnessError: Error, CustomStringConvertible {
    case notReady(String)
    case unexpected(String)

    var description: String {
        switch self {
        case .notReady(let output): "gateway not ready: \(output)"
        case .unexpected(let text): text
        }
    }
}

import Foundation
import KefuModel
import Logging
import Redis
import Testing
import TestSupport

/// Running `kefu-knowledge` processes against the shared test Redis and a fresh database, with helpers
/// that talk to them only through the streams (and each instance's `/matcher` endpoint).
final class KnowledgeCluster: Sendable {
    struct Instance: Sendable {
        let process: TestProcess
        let port: Int
        let name: String
    }

    let redis: RedisClient
    let redisURL: String
    let databaseURL: String
    let streams: StreamNames
    let replies: String
    private let launched = LockedBox<[Instance]>([])

    static let admin = Actor.staff(AgentID(UUID(uuidString: "00000000-0000-4000-8000-00000000ad01")!), admin: true)
    static let agentA = Actor.staff(AgentID(UUID(uuidString: "00000000-0000-4000-8000-0000000000a1")!), admin: false)
    static let agentB = Actor.staff(AgentID(UUID(uuidString: "00000000-0000-4000-8000-0000000000b2")!), admin: false)

    private init(redisURL: String, databaseURL: String, redis: RedisClient, streams: StreamNames) {
        self.redisURL = redisURL
        self.databaseURL = databaseURL
        self.redis = redis
        self.streams = streams
        replies = "\(streams.prefix):replies:test"
    }

    /// The processes' `KEFU_STREAM_PARTITIONS` (inherited; `KEFU_TEST_STREAM_PARTITIONS=4 scripts/test`).
    static var partitions: Int { ProcessInfo.processInfo.environment["KEFU_STREAM_PARTITIONS"].flatMap(Int.init) ?? 1 }

    /// Starts `instances` processes sharing one database and stream prefix, and waits until each is ready.
    static func start(instances: Int = 1, environment: [String: String] = [:]) async throws -> KnowledgeCluster {
        let server = try await RedisTestServer.shared()
        let database = try await PostgresTestServer.shared().makeDatabase()
        let redis = RedisClient(configuration: try server.configuration, logger: Logger(label: "test"))
        let cluster = KnowledgeCluster(
            redisURL: server.url, databaseURL: database, redis: redis,
            streams: try StreamNames(prefix: "k\(UInt32.random(in: 0...UInt32.max))", partitions: Self.partitions))
        for number in 0..<instances {
            _ = try await cluster.launch(name: "test-\(number)", environment: environment)
        }
        return cluster
    }

    /// Starts one more instance and waits until it is ready.
    func launch(name: String, environment: [String: String] = [:]) async throws -> Instance {
        let port = HTTPProbe.freePort()
        var variables = [
            "REDIS_URL": redisURL, "DATABASE_URL": databaseURL, "HTTP_PORT": "\(port)",
            "KEFU_STREAM_PREFIX": streams.prefix, "KEFU_INSTANCE": name, "KEFU_STREAM_BLOCK_MS": "200",
            "LOG_LEVEL": "info",
        ]
        variables.merge(environment) { _, new in new }
        let process = try TestProcess(executable: TestProcess.product("kefu-knowledge"), environment: variables)
        let instance = Instance(process: process, port: port, name: name)
        launched.withLock { $0.append(instance) }
        let ready = try await HTTPProbe.waitFor("http://127.0.0.1:\(port)/ready", timeout: .seconds(60))
        guard ready != nil else { throw ClusterError.notReady(process.output()) }
        return instance
    }

    var instances: [Instance] { launched.withLock { $0 } }

    /// Stops every instance and closes the Redis client.
    func stop() {
        for instance in instances { instance.process.terminate() }
        let redis = self.redis
        Task { await redis.shutdown() }
    }

    // MARK: requests

    /// Sends a `query.request` and waits for its `reply.result`.
    func query(_ name: String, _ actor: Actor, _ params: [String: JSONValue] = [:], timeout: Duration = .seconds(15)) async throws -> ReplyResult {
        let envelope = EventEnvelope(
            source: "test", replyTo: replies, expiresAt: Timestamp(Date().addingTimeInterval(60)),
            data: QueryRequest(name: name, actor: actor, params: .object(params)))
        try await add(envelope, to: streams.requests(service: .knowledge))
        return try await reply(to: envelope.id, as: ReplyResult.self, timeout: timeout).data
    }

    /// A successful query's result; fails the test with the refusal otherwise.
    func ok(_ name: String, _ actor: Actor, _ params: [String: JSONValue] = [:]) async throws -> JSONValue {
        let reply = try await query(name, actor, params)
        guard reply.ok else { throw ClusterError.refused(name, reply.code ?? "", reply.message ?? "") }
        return reply.result ?? .null
    }

    /// Sends a `bot.question` and waits for its `bot.answer`.
    func ask(_ text: String, session: SessionID = .random(), seq: Int = 2) async throws -> BotAnswer {
        let envelope = EventEnvelope(
            source: "routing", replyTo: replies, expiresAt: Timestamp(Date().addingTimeInterval(60)),
            data: BotQuestion(sessionID: session, questionSeq: seq, channel: "web", text: text))
        try await add(envelope, to: streams.requests(service: .knowledge))
        return try await reply(to: envelope.id, as: BotAnswer.self, timeout: .seconds(15)).data
    }

    /// Publishes an event on the events stream, as routing would.
    @discardableResult
    func publish<Payload: EventPayload>(_ data: Payload) async throws -> EventID {
        let envelope = EventEnvelope(source: "routing", data: data)
        try await add(envelope, to: streams.events)
        return envelope.id
    }

    func add<Payload: EventPayload>(_ envelope: EventEnvelope<Payload>, to stream: String) async throws {
        let bytes = try EnvelopeCodec.encode(envelope)
        let partition = streams.partition(of: stream, envelope: bytes)
        _ = try await redis.send([Array("XADD".utf8), Array(partition.utf8), Array("*".utf8), Array(StreamNames.entryField.utf8), bytes])
            .throwingOnError()
    }

    /// Waits for the entry on the reply stream whose `correlation_id` is `id`.
    func reply<Payload: EventPayload>(to id: EventID, as type: Payload.Type, timeout: Duration) async throws -> EventEnvelope<Payload> {
        guard let found = try await waitForEntry(on: replies, timeout: timeout, where: { $0.correlationID == id }) else {
            throw ClusterError.noReply(id.description, instances.map { $0.process.output() }.joined(separator: "\n---\n"))
        }
        return try EnvelopeCodec.decode(found, as: type)
    }

    /// Waits for an event of `type` on the events stream matching `predicate`.
    func event<Payload: EventPayload>(
        _ type: Payload.Type, timeout: Duration = .seconds(10), where predicate: @escaping @Sendable (EventEnvelope<Payload>) -> Bool
    ) async throws -> EventEnvelope<Payload>? {
        let found = try await waitForEntry(on: streams.events, timeout: timeout) { header in header.type == Payload.eventType } decoded: {
            guard let envelope = try? EnvelopeCodec.decode($0, as: type) else { return false }
            return predicate(envelope)
        }
        return try found.map { try EnvelopeCodec.decode($0, as: type) }
    }

    /// Every event of `type` on the events stream so far.
    func events<Payload: EventPayload>(_ type: Payload.Type) async throws -> [EventEnvelope<Payload>] {
        var entries: [RedisReply] = []
        for partition in streams.partitions(of: streams.events) {
            entries += try await redis.send(["XRANGE", partition, "-", "+"]).array ?? []
        }
        return entries.compactMap { entry in
            guard let bytes = entry.array?.last?.array?.last?.bytes,
                  (try? EnvelopeCodec.decodeHeader(bytes))?.type == Payload.eventType
            else { return nil }
            return try? EnvelopeCodec.decode(bytes, as: type)
        }
    }

    private func waitForEntry(
        on stream: String, timeout: Duration, where matches: @escaping @Sendable (EnvelopeHeader) -> Bool,
        decoded: @escaping @Sendable ([UInt8]) -> Bool = { _ in true }
    ) async throws -> [UInt8]? {
        let deadline = ContinuousClock.now + timeout
        let partitions = streams.partitions(of: stream)
        var lastIDs = partitions.map { _ in "0-0" }
        while ContinuousClock.now < deadline {
            let reply = try await redis.send(["XREAD", "COUNT", "1000", "STREAMS"] + partitions + lastIDs)
            let read = (reply.array ?? []).flatMap { stream -> [(Int, RedisReply)] in
                guard let index = stream.array?.first?.string.flatMap(partitions.firstIndex(of:)) else { return [] }
                return (stream.array?.last?.array ?? []).map { (index, $0) }
            }
            for (index, entry) in read {
                guard let parts = entry.array, let id = parts.first?.string else { continue }
                lastIDs[index] = id
                guard let bytes = parts.last?.array?.last?.bytes, let header = try? EnvelopeCodec.decodeHeader(bytes),
                      matches(header), decoded(bytes)
                else { continue }
                return bytes
            }
            try await Task.sleep(for: .milliseconds(10))
        }
        return nil
    }

    /// Every entry of `stream` with its fields as text.
    func entries(of stream: String) async throws -> [RedisReplyEntry] {
        let reply = try await redis.send(["XRANGE", stream, "-", "+"])
        return (reply.array ?? []).compactMap { entry in
            guard let parts = entry.array, let id = parts.first?.string, let values = parts.last?.array else { return nil }
            var fields: [String: String] = [:]
            for index in stride(from: 0, to: values.count - 1, by: 2) {
                if let name = values[index].string { fields[name] = values[index + 1].string ?? "" }
            }
            return RedisReplyEntry(id: id, fields: fields)
        }
    }

    // MARK: matchers of single instances

    /// What one instance's matcher answers for `q` (`GET /matcher`).
    func matcher(_ instance: Instance, _ q: String) async throws -> (entries: Int, top: String?) {
        let encoded = q.addingPercentEncoding(withAllowedCharacters: .urlQueryAllowed) ?? q
        let response = try await HTTPProbe.get("http://127.0.0.1:\(instance.port)/matcher?q=\(encoded)")
        let body = try JSONDecoder().decode(JSONValue.self, from: response.body)
        let top = body["matches"].flatMap { value -> String? in
            guard case .array(let items) = value else { return nil }
            return items.first?["entry_id"]?.stringValue
        }
        return (body["entries"]?.intValue ?? -1, top)
    }
}

enum ClusterError: Error, CustomStringConvertible {
    case notReady(String)
    case noReply(String, String)
    case refused(String, String, String)

    var description: String {
        switch self {
        case .notReady(let output): return "kefu-knowledge did not become ready:\n\(output)"
        case .noReply(let id, let output): return "no reply to \(id); logs:\n\(output)"
        case .refused(let name, let code, let message): return "\(name) refused: \(code): \(message)"
        }
    }
}

/// A value behind a lock, for test bookkeeping.
final class LockedBox<Value: Sendable>: @unchecked Sendable {
    private var value: Value
    private let lock = NSLock()

    init(_ value: Value) {
        self.value = value
    }

    func withLock<T>(_ body: (inout Value) -> T) -> T {
        lock.lock()
        defer { lock.unlock() }
        return body(&value)
    }
}

extension JSONValue {
    /// The array's items (empty for other values).
    var items: [JSONValue] {
        if case .array(let items) = self { return items }
        return []
    }

    /// The string of a member (test convenience).
    func string(_ key: String) -> String? { self[key]?.stringValue }
}

/// A stream entry read back by a test.
struct RedisReplyEntry: Sendable, CustomStringConvertible {
    let id: String
    let fields: [String: String]

    var description: String { "\(id) \(fields)" }
}

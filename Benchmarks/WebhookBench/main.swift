import AsyncHTTPClient
import Foundation
import Hummingbird
import KefuModel
import Logging
import NIOCore
import NIOHTTP1
import Redis
import Synchronization

#if canImport(Glibc)
import Glibc
#endif

/// `kefu-webhook-bench`: webhook deliveries through a running gateway to a local receiver. Registers an
/// endpoint on this process's own HTTP receiver, appends N `message.accepted` events (S sessions, `seq` in
/// order) to the events stream, and measures deliveries per second and the added latency from `XADD` to
/// the receiver (p50/p99); then, in the same run, a raw async-http-client loop posting the same bodies to
/// the same receiver with the same concurrency (8), as the baseline. Exits 1 if any event is missing, sent
/// twice or out of `seq` order within its session.
struct Options {
    var gateway = "http://127.0.0.1:8080"
    var redis = "redis://127.0.0.1:6379/0"
    var prefix = "kefu"
    var adminUser = "admin"
    var adminPassword = ""
    var events = 2000
    var sessions = 50
    var concurrency = 8
    var timeout = 120
    var rate = 200
    var pacedEvents = 1000

    init(_ arguments: [String]) throws {
        var iterator = arguments.makeIterator()
        while let name = iterator.next() {
            guard let value = iterator.next() else { throw BenchError.failed("\(name) needs a value") }
            switch name {
            case "--gateway": gateway = value
            case "--redis": redis = value
            case "--prefix": prefix = value
            case "--admin-user": adminUser = value
            case "--admin-password": adminPassword = value
            case "--events": events = Int(value) ?? events
            case "--sessions": sessions = Int(value) ?? sessions
            case "--timeout": timeout = Int(value) ?? timeout
            case "--rate": rate = Int(value) ?? rate
            case "--paced-events": pacedEvents = Int(value) ?? pacedEvents
            default: throw BenchError.failed("unknown option \(name)")
            }
        }
    }
}

enum BenchError: Error, CustomStringConvertible {
    case failed(String)
    var description: String { if case .failed(let text) = self { return text } else { return "" } }
}

/// What the receiver saw: arrival time per id, in arrival order, with the body's session and seq.
final class Arrivals: Sendable {
    struct Arrival: Sendable {
        let id: String
        let time: Double
        let session: String?
        let seq: Int?
    }

    private let state = Mutex<[Arrival]>([])

    func add(_ arrival: Arrival) { state.withLock { $0.append(arrival) } }
    var all: [Arrival] { state.withLock { $0 } }
    var count: Int { state.withLock { $0.count } }
    func reset() { state.withLock { $0.removeAll() } }
}

func now() -> Double { Date().timeIntervalSince1970 }

func percentile(_ values: [Double], _ p: Double) -> Double {
    guard !values.isEmpty else { return .nan }
    let sorted = values.sorted()
    return sorted[min(sorted.count - 1, Int((Double(sorted.count) * p).rounded(.up)) - 1)]
}

func post(
    _ client: HTTPClient, _ url: String, json: JSONValue, token: String? = nil, method: HTTPMethod = .POST
) async throws -> JSONValue {
    var request = HTTPClientRequest(url: url)
    request.method = method
    request.headers.add(name: "Content-Type", value: "application/json")
    if let token { request.headers.add(name: "Authorization", value: "Bearer \(token)") }
    request.body = .bytes(ByteBuffer(bytes: try JSONEncoder().encode(json)))
    let response = try await client.execute(request, timeout: .seconds(15))
    let body = try await response.body.collect(upTo: 1 << 20)
    let value = try JSONDecoder().decode(JSONValue.self, from: Data(body.readableBytesView))
    guard (200..<300).contains(Int(response.status.code)) else { throw BenchError.failed("\(url): \(response.status) \(value)") }
    return value
}

func run(_ options: Options) async throws -> Bool {
    let arrivals = Arrivals()
    let router = Router()
    router.post("hook") { request, _ -> HTTPResponse.Status in
        let time = now()
        var request = request
        let body = try await request.collectBody(upTo: 1 << 20)
        let json = try? JSONDecoder().decode(JSONValue.self, from: Data(body.readableBytesView))
        arrivals.add(.init(
            id: request.headers.first(where: { $0.name.canonicalName == "webhook-id" })?.value ?? "", time: time,
            session: json?["session_id"]?.stringValue, seq: json?["seq"]?.intValue))
        return .noContent
    }
    let port = Mutex<Int?>(nil)
    let app = Application(
        router: router, configuration: .init(address: .hostname("127.0.0.1", port: 0)),
        onServerRunning: { channel in port.withLock { $0 = channel.localAddress?.port } },
        logger: Logger(label: "receiver"))
    let server = Task { try await app.runService() }
    defer { server.cancel() }
    let deadline = Date().addingTimeInterval(10)
    while port.withLock({ $0 }) == nil {
        guard Date() < deadline else { throw BenchError.failed("the receiver did not start") }
        try await Task.sleep(for: .milliseconds(10))
    }
    let receiver = "http://127.0.0.1:\(port.withLock { $0 }!)/hook"
    let client = HTTPClient(eventLoopGroupProvider: .singleton)
    let redis = RedisClient(configuration: try RedisConfiguration(url: options.redis), poolSize: 2, logger: Logger(label: "bench"))
    do {
        let ok = try await measure(options, client: client, redis: redis, arrivals: arrivals, receiver: receiver)
        try? await client.shutdown()
        await redis.shutdown()
        return ok
    } catch {
        try? await client.shutdown()
        await redis.shutdown()
        throw error
    }
}

func measure(_ options: Options, client: HTTPClient, redis: RedisClient, arrivals: Arrivals, receiver: String) async throws -> Bool {

    let login = try await post(client, options.gateway + "/api/v1/auth/login", json: .object([
        "username": .string(options.adminUser), "password": .string(options.adminPassword),
    ]))
    guard let token = login["access_token"]?.stringValue else { throw BenchError.failed("no admin token") }
    let endpoint = try await post(client, options.gateway + "/api/v1/admin/webhooks", json: .object([
        "url": .string(receiver), "event_types": .array([.string("message.accepted")]), "timeout_ms": .integer(5000),
        "description": .string("kefu-webhook-bench"),
    ]), token: token)
    guard let endpointID = endpoint["endpoint"]?["id"]?.stringValue else { throw BenchError.failed("no endpoint id") }

    func event(session: String, seq: Int) throws -> (String, String) {
        let id = UUID().uuidString.lowercased()
        let envelope: JSONValue = .object([
            "id": .string(id), "type": .string("message.accepted"), "version": .integer(1), "time": .string(Timestamp.now().rfc3339),
            "source": .string("routing"), "data": .object([
                "session_id": .string(session), "seq": .integer(Int64(seq)), "channel": .string("web-pc"),
                "visitor_id": .string("bench-\(session.prefix(8))"), "sender": .string("visitor"), "text": .string("压测消息 \(seq)"),
            ]),
        ])
        return (id, String(decoding: try JSONEncoder().encode(envelope), as: UTF8.self))
    }
    let stream = "\(options.prefix):events"

    // Warm-up: one event end to end (connections, the endpoint's worker).
    let (_, warm) = try event(session: UUID().uuidString.lowercased(), seq: 1)
    _ = try await redis.send(["XADD", stream, "*", "event", warm])
    while arrivals.count < 1 { try await Task.sleep(for: .milliseconds(5)) }
    arrivals.reset()

    let sessions = (0..<options.sessions).map { _ in UUID().uuidString.lowercased() }
    var nextSeq = Dictionary(uniqueKeysWithValues: sessions.map { ($0, 1) })
    var ok = true

    /// Appends `count` events round-robin over the sessions (`rate` per second, 0 for as fast as possible),
    /// waits for them and prints what arrived.
    func phase(_ label: String, count: Int, rate: Int) async throws {
        arrivals.reset()
        var published: [String: Double] = [:]
        let start = now()
        for index in 0..<count {
            let session = sessions[index % sessions.count]
            let (id, text) = try event(session: session, seq: nextSeq[session]!)
            nextSeq[session]! += 1
            if rate > 0 {
                let due = start + Double(index) / Double(rate)
                if due > now() { try await Task.sleep(for: .milliseconds(Int((due - now()) * 1000))) }
            }
            published[id] = now()
            _ = try await redis.send(["XADD", stream, "*", "event", text])
        }
        let publishEnd = now()
        let waitUntil = Date().addingTimeInterval(TimeInterval(options.timeout))
        while arrivals.count < count && Date() < waitUntil { try await Task.sleep(for: .milliseconds(20)) }
        try await Task.sleep(for: .milliseconds(300))
        let got = arrivals.all
        let ids = Set(got.map(\.id))
        let missing = Set(published.keys).subtracting(ids).count
        let duplicates = got.count - ids.count
        var outOfOrder = 0
        var last: [String: Int] = [:]
        for arrival in got {
            guard let session = arrival.session, let seq = arrival.seq else { continue }
            if let previous = last[session], seq <= previous { outOfOrder += 1 }
            last[session] = seq
        }
        let latencies = got.compactMap { arrival in published[arrival.id].map { (arrival.time - $0) * 1000 } }
        let end = got.map(\.time).max() ?? now()
        print(String(
            format: "%@: %d events over %d sessions appended in %.2f s; %d delivered in %.2f s = %.0f deliveries/s; XADD → receiver p50 %.1f ms, p99 %.1f ms, max %.1f ms; missing %d, duplicates %d, out of order %d",
            label, count, sessions.count, publishEnd - start, got.count, end - start, Double(got.count) / max(end - start, 1e-9),
            percentile(latencies, 0.5), percentile(latencies, 0.99), latencies.max() ?? .nan, missing, duplicates, outOfOrder))
        if missing > 0 || duplicates > 0 || outOfOrder > 0 { ok = false }
    }

    try await phase("burst (as fast as XADD goes)", count: options.events, rate: 0)
    try await phase("paced at \(options.rate)/s", count: options.pacedEvents, rate: options.rate)
    let total = options.events

    // Baseline: the same bodies posted straight to the receiver by async-http-client, 8 at a time.
    arrivals.reset()
    let bodies = try (0..<total).map { index in try event(session: sessions[index % sessions.count], seq: index / sessions.count + 1).1 }
    let rawStart = now()
    let rawLatencies = try await withThrowingTaskGroup(of: [Double].self) { group in
        for worker in 0..<options.concurrency {
            group.addTask {
                var mine: [Double] = []
                for index in stride(from: worker, to: bodies.count, by: options.concurrency) {
                    var request = HTTPClientRequest(url: receiver)
                    request.method = .POST
                    request.headers.add(name: "Content-Type", value: "application/json")
                    request.headers.add(name: "webhook-id", value: "raw-\(index)")
                    request.body = .bytes(ByteBuffer(string: bodies[index]))
                    let sent = now()
                    let response = try await client.execute(request, timeout: .seconds(10))
                    _ = try await response.body.collect(upTo: 4096)
                    mine.append((now() - sent) * 1000)
                }
                return mine
            }
        }
        var all: [Double] = []
        for try await part in group { all += part }
        return all
    }
    let rawEnd = now()
    print(String(
        format: "baseline, raw async-http-client loop (concurrency %d): %d posts in %.2f s = %.0f requests/s; request p50 %.1f ms, p99 %.1f ms",
        options.concurrency, rawLatencies.count, rawEnd - rawStart, Double(rawLatencies.count) / max(rawEnd - rawStart, 1e-9),
        percentile(rawLatencies, 0.5), percentile(rawLatencies, 0.99)))

    _ = try? await post(client, options.gateway + "/api/v1/admin/webhooks/\(endpointID)", json: .object(["enabled": .bool(false)]), token: token, method: .PATCH)
    return ok
}

signal(SIGPIPE, SIG_IGN)
do {
    let ok = try await run(try Options(Array(CommandLine.arguments.dropFirst())))
    if !ok {
        FileHandle.standardError.write(Data("kefu-webhook-bench: missing, duplicate or out-of-order deliveries\n".utf8))
        exit(1)
    }
} catch {
    FileHandle.standardError.write(Data("kefu-webhook-bench: \(error)\n".utf8))
    exit(1)
}

import Foundation
import KefuModel

#if canImport(Glibc)
import Glibc
#endif

signal(SIGPIPE, SIG_IGN)

/// `kefu-gateway-bench`: N visitor sockets and M agent sockets on a running gateway (with routing and
/// store): every visitor is served by an agent, then each sends K messages; reports messages per second
/// through the whole path (gateway → routing → events → gateway push), the send → agent-socket latency,
/// and how long store takes to have committed every message. Then, in the same run, the raw baseline
/// (``RawBaselineServer``): the same clients, sockets, messages and phases against a plain Hummingbird
/// server that only pushes the same frame to an agent socket; the gateway's figures are printed as ratios
/// of it.
///
/// Fails (exit status 1) unless every message reached an agent socket and every session reached store,
/// in the gateway's phases and in the baseline's.
/// Whatever happens, it then cleans up after itself: ends every visitor's session, takes its agents
/// offline, closes the sockets and disables the accounts it created, so nothing it made stays online or
/// is re-queued ahead of real visitors.
func runBenchmark(_ options: GatewayBenchOptions) async throws {
    let http = BenchHTTP(base: options.gateway)
    let created = BenchCreated()
    do {
        try await measure(options, http: http, created: created)
    } catch {
        await created.cleanUp(http: http, adminToken: created.adminToken)
        throw error
    }
    await created.cleanUp(http: http, adminToken: created.adminToken)
}

func measure(_ options: GatewayBenchOptions, http: BenchHTTP, created: BenchCreated) async throws {
    let ws = options.gateway.replacingOccurrences(of: "http", with: "ws", options: .anchored)
    let admin = try await http.expect("POST", "/api/v1/auth/login", json: .object([
        "username": .string(options.adminUser), "password": .string(options.adminPassword),
    ]))
    guard let adminToken = admin["access_token"]?.stringValue else { throw GatewayBenchError.failed("no admin token") }
    created.adminToken = adminToken
    let run = UInt32.random(in: 0...UInt32.max)
    let capacity = min(50, (options.visitors + options.agents - 1) / options.agents)
    let log = BenchLog()

    for index in 0..<options.agents {
        let username = "bench\(run)a\(index)"
        let account = try await http.expect("POST", "/api/v1/admin/accounts", token: adminToken, json: .object([
            "username": .string(username), "display_name": .string("压测客服\(index)"), "role": "agent",
            "password": "bench-password", "capacity": .integer(Int64(capacity)),
        ]), [201])
        guard let agentID = account["agent_id"]?.stringValue else { throw GatewayBenchError.failed("no agent id") }
        let login = try await http.expect("POST", "/api/v1/auth/login", json: .object(["username": .string(username), "password": "bench-password"]))
        guard let token = login["access_token"]?.stringValue else { throw GatewayBenchError.failed("no agent token") }
        created.addAgent(id: agentID, token: token)
        created.addSocket(BenchSocket(url: "\(ws)/api/v1/agent/ws", token: token) { frame, time in
            guard frame["type"]?.stringValue == "event", let session = frame["session_id"]?.stringValue else { return }
            switch frame["event"]?.stringValue {
            case "session.assigned": log.assigned(session)
            case "message.accepted":
                if frame["data"]?["sender"]?.stringValue == "visitor", let id = frame["data"]?["client_message_id"]?.stringValue {
                    log.pushed(id, at: time)
                    if let text = frame["time"]?.stringValue, let created = Timestamp(rfc3339: text) {
                        log.eventAge(id, Date().timeIntervalSince(created.date) * 1000)
                    }
                }
            default: break
            }
        })
        // Routing learns the account through the outbox; retry until it accepts the status.
        var online = false
        for _ in 0..<50 where !online {
            online = (try await http.call("PUT", "/api/v1/agent/status", token: token, json: .object(["status": "online"]))).0 == 200
            if !online { try await Task.sleep(for: .milliseconds(200)) }
        }
        guard online else { throw GatewayBenchError.failed("agent \(username) could not go online") }
    }

    var visitors: [(token: String, index: Int)] = []
    for index in 0..<options.visitors {
        let started = try await http.expect("POST", "/api/v1/visitor/sessions", json: .object(["channel": "web-pc"]), [200, 201])
        guard let token = started["token"]?.stringValue else { throw GatewayBenchError.failed("no visitor token") }
        visitors.append((token, index))
        created.addVisitor(token)
        created.addSocket(BenchSocket(url: "\(ws)/api/v1/visitor/ws", token: token) { frame, _ in
            if frame["event"]?.stringValue == "session.created", let session = frame["session_id"]?.stringValue {
                log.session(session, visitor: index)
            }
        })
    }
    print("kefu-gateway-bench: \(options.agents) agent sockets (capacity \(capacity)), \(options.visitors) visitor sockets, \(options.messages) messages each")
    try await withThrowingTaskGroup(of: Void.self) { group in
        for visitor in visitors {
            group.addTask {
                _ = try await http.expect("POST", "/api/v1/visitor/messages", token: visitor.token, json: .object([
                    "client_message_id": .string("h\(run)-\(visitor.index)"), "text": "人工",
                ]))
            }
        }
        try await group.waitForAll()
    }
    let deadline = ContinuousClock.now + .seconds(options.waitSeconds)
    while log.assignedCount < options.visitors, ContinuousClock.now < deadline { try await Task.sleep(for: .milliseconds(50)) }
    guard log.assignedCount == options.visitors else {
        throw GatewayBenchError.failed("only \(log.assignedCount) of \(options.visitors) sessions were assigned")
    }

    var missing: [String] = []
    let (paced, burst) = try await phases(options, tag: "\(run)", visitors: visitors, http: http, log: log)
    missing += [paced.missing, burst.missing].compactMap { $0 }
    let perVisitor = 2 * options.messages

    // Store: every session's history reaches its last message.
    let storeStart = ContinuousClock.now
    var pending = Set(visitors.map(\.index))
    let storeDeadline = ContinuousClock.now + .seconds(options.waitSeconds)
    while !pending.isEmpty, ContinuousClock.now < storeDeadline {
        for index in pending {
            guard let session = log.sessions[index] else { continue }
            let (_, page) = try await http.call("GET", "/api/v1/visitor/history?session_id=\(session)&after_seq=\(perVisitor)&limit=200", token: visitors[index].token)
            if case .array(let items)? = page?["items"], let lastSeq = page?["last_seq"]?.intValue,
               lastSeq >= perVisitor + 2, items.count >= 1 {
                pending.remove(index)
            }
        }
        if !pending.isEmpty { try await Task.sleep(for: .milliseconds(100)) }
    }
    let storeSpan = ContinuousClock.now - storeStart
    print("  store: \(options.visitors - pending.count) of \(options.visitors) sessions committed through their last message \(storeSpan) after the last push")
    if !pending.isEmpty { missing.append("\(pending.count) of \(options.visitors) sessions never reached store") }

    let raw = try await rawBaseline(options)
    missing += [raw.paced.missing, raw.burst.missing].compactMap { $0.map { "raw baseline: " + $0 } }
    func ratio(_ kefu: Double, _ base: Double) -> String { base > 0 ? String(format: "%.1f %%", kefu / base * 100) : "n/a" }
    print("  gateway vs raw baseline (same run):")
    print("    closed loop msg/s: \(Int(burst.perSecond)) vs \(Int(raw.burst.perSecond)) = \(ratio(burst.perSecond, raw.burst.perSecond)) of raw")
    print("    paced send → agent socket p50: \(String(format: "%.1f", paced.p50)) ms vs \(String(format: "%.1f", raw.paced.p50)) ms, p99: \(String(format: "%.1f", paced.p99)) ms vs \(String(format: "%.1f", raw.paced.p99)) ms (\(String(format: "%.1f", raw.paced.p99 > 0 ? paced.p99 / raw.paced.p99 : 0))× raw)")
    if !missing.isEmpty { throw GatewayBenchError.failed("partial delivery: " + missing.joined(separator: "; ")) }
}

do {
    let options = try GatewayBenchOptions(arguments: Array(CommandLine.arguments.dropFirst()))
    try await runBenchmark(options)
} catch GatewayBenchError.usage {
    print(GatewayBenchOptions.usage)
} catch {
    print("kefu-gateway-bench: \(error)")
    exit(1)
}

/// The paced phase (every visitor sends one message per interval, visitors staggered over it, as people
/// chat), then the closed loop (each visitor sends its next message as soon as the previous one was answered).
func phases(
    _ options: GatewayBenchOptions, tag: String, visitors: [(token: String, index: Int)], http: BenchHTTP, log: BenchLog
) async throws -> (paced: PhaseResult, burst: PhaseResult) {
    let paced = try await phase(
        "paced: each visitor one message every \(options.intervalMilliseconds) ms", tag: "p\(tag)", options: options,
        visitors: visitors, interval: .milliseconds(options.intervalMilliseconds), http: http, log: log)
    let burst = try await phase(
        "closed loop: each visitor sends as fast as it is answered", tag: "m\(tag)", options: options,
        visitors: visitors, interval: nil, http: http, log: log)
    return (paced, burst)
}

/// The same phases against ``RawBaselineServer`` with as many agent sockets and visitors.
func rawBaseline(_ options: GatewayBenchOptions) async throws -> (paced: PhaseResult, burst: PhaseResult) {
    let server = RawBaselineServer(agents: options.agents)
    let base = try await server.start()
    let ws = base.replacingOccurrences(of: "http", with: "ws", options: .anchored)
    let log = BenchLog()
    var sockets: [BenchSocket] = []
    for index in 0..<options.agents {
        sockets.append(BenchSocket(url: "\(ws)/ws", token: "raw-agent-\(index)") { frame, time in
            if frame["event"]?.stringValue == "message.accepted", let id = frame["data"]?["client_message_id"]?.stringValue {
                log.pushed(id, at: time)
            }
        })
    }
    do {
        try await server.waitForAgents(options.agents)
        print("  raw baseline (plain Hummingbird, no Kefu logic; \(options.agents) agent sockets, \(options.visitors) visitors):")
        let visitors = (0..<options.visitors).map { (token: "raw-visitor-\($0)", index: $0) }
        let result = try await phases(options, tag: "raw", visitors: visitors, http: BenchHTTP(base: base), log: log)
        for socket in sockets { await socket.close() }
        await server.stop()
        return result
    } catch {
        for socket in sockets { await socket.close() }
        await server.stop()
        throw error
    }
}

/// What one phase measured.
struct PhaseResult {
    var perSecond: Double = 0
    var p50: Double = 0
    var p99: Double = 0
    /// What did not arrive, nil when everything did.
    var missing: String?
}

/// Sends `options.messages` messages from every visitor — paced at one per `interval` (visitors staggered
/// over it) or, without an interval, each as soon as the previous one was answered — waits until they reached
/// the agents' sockets, prints throughput and latency, and returns its figures with what is missing.
func phase(
    _ label: String, tag: String, options: GatewayBenchOptions, visitors: [(token: String, index: Int)],
    interval: Duration?, http: BenchHTTP, log: BenchLog
) async throws -> PhaseResult {
    let total = options.visitors * options.messages
    let before = log.pushedCount
    try await withThrowingTaskGroup(of: Void.self) { group in
        for visitor in visitors {
            group.addTask {
                let start = ContinuousClock.now
                let offset = interval.map { $0 * Double(visitor.index) / Double(max(1, visitors.count)) } ?? .zero
                for number in 0..<options.messages {
                    if let interval { try await Task.sleep(until: start + offset + interval * number, clock: .continuous) }
                    let id = "\(tag)-\(visitor.index)-\(number)"
                    log.sent(id, at: .now)
                    _ = try await http.expect("POST", "/api/v1/visitor/messages", token: visitor.token, json: .object([
                        "client_message_id": .string(id), "text": .string("压测消息 \(number)"),
                    ]))
                }
            }
        }
        try await group.waitForAll()
    }
    let pushDeadline = ContinuousClock.now + .seconds(options.waitSeconds)
    while log.pushedCount - before < total, ContinuousClock.now < pushDeadline { try await Task.sleep(for: .milliseconds(20)) }
    let results = log.results(prefix: tag + "-")
    print("  \(label):")
    guard let first = results.first, let last = results.last, !results.latencies.isEmpty else {
        return PhaseResult(missing: "\(label): no message reached an agent socket")
    }
    let span = last - first
    let seconds = Double(span.components.seconds) + Double(span.components.attoseconds) / 1e18
    func percentile(_ values: [Double], _ p: Double) -> Double { values[min(values.count - 1, Int(Double(values.count) * p))] }
    print("    delivered to agent sockets: \(results.latencies.count) of \(total) in \(String(format: "%.2f", seconds)) s, \(Int(Double(results.latencies.count) / seconds)) msg/s")
    print("    visitor HTTP send → agent socket: p50 \(String(format: "%.1f", percentile(results.latencies, 0.5))) ms, p99 \(String(format: "%.1f", percentile(results.latencies, 0.99))) ms, max \(String(format: "%.1f", results.latencies.last ?? 0)) ms")
    let ages = log.eventAges(prefix: tag + "-")
    if !ages.isEmpty {
        print("    event created by routing → agent socket: p50 \(String(format: "%.1f", percentile(ages, 0.5))) ms, p99 \(String(format: "%.1f", percentile(ages, 0.99))) ms")
    }
    return PhaseResult(
        perSecond: Double(results.latencies.count) / seconds, p50: percentile(results.latencies, 0.5),
        p99: percentile(results.latencies, 0.99),
        missing: results.latencies.count < total ? "\(label): delivered \(results.latencies.count) of \(total) messages to agent sockets" : nil)
}

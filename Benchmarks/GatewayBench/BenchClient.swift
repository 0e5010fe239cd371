import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif
import Hummingbird
import HummingbirdWSClient
import KefuModel
import Logging
import Synchronization

/// HTTP calls to the gateway.
struct BenchHTTP: Sendable {
    let base: String

    /// One keep-alive connection per concurrent caller: `URLSession.shared` allows 6 per host, which would queue
    /// 50 visitors' sends inside the client and count that wait as gateway latency.
    private static let session: URLSession = {
        let configuration = URLSessionConfiguration.ephemeral
        configuration.httpMaximumConnectionsPerHost = 512
        configuration.timeoutIntervalForRequest = 30
        return URLSession(configuration: configuration)
    }()

    func call(_ method: String, _ path: String, token: String? = nil, json: JSONValue? = nil) async throws -> (Int, JSONValue?) {
        var request = URLRequest(url: URL(string: base + path)!, timeoutInterval: 30)
        request.httpMethod = method
        if let token { request.setValue("Bearer \(token)", forHTTPHeaderField: "Authorization") }
        if let json {
            request.httpBody = try JSONEncoder().encode(json)
            request.setValue("application/json", forHTTPHeaderField: "Content-Type")
        }
        let (data, response) = try await Self.session.data(for: request)
        return ((response as? HTTPURLResponse)?.statusCode ?? 0, try? JSONDecoder().decode(JSONValue.self, from: data))
    }

    func expect(_ method: String, _ path: String, token: String? = nil, json: JSONValue? = nil, _ statuses: Set<Int> = [200]) async throws -> JSONValue {
        let (status, body) = try await call(method, path, token: token, json: json)
        guard statuses.contains(status) else {
            throw GatewayBenchError.failed("\(method) \(path) answered \(status): \(body.map { "\($0)" } ?? "")")
        }
        return body ?? .null
    }
}

/// A WebSocket that hands every event frame to `onFrame` with the time it arrived.
final class BenchSocket: Sendable {
    private let task: Task<Void, any Error>
    private let stop: AsyncStream<Void>.Continuation

    init(url: String, token: String, onFrame: @escaping @Sendable (JSONValue, ContinuousClock.Instant) -> Void) {
        let (stopped, stop) = AsyncStream<Void>.makeStream()
        self.stop = stop
        var headers = HTTPFields()
        headers[.authorization] = "Bearer \(token)"
        let configuration = WebSocketClientConfiguration(maxFrameSize: 1 << 20, additionalHeaders: headers)
        task = Task {
            try await WebSocketClient.connect(url: url, configuration: configuration, logger: Logger(label: "bench")) { inbound, outbound, _ in
                try await withThrowingTaskGroup(of: Void.self) { group in
                    group.addTask {
                        for try await message in inbound.messages(maxSize: 1 << 20) {
                            let now = ContinuousClock.now
                            guard case .text(let text) = message,
                                  let frame = try? JSONDecoder().decode(JSONValue.self, from: Data(text.utf8)) else { continue }
                            onFrame(frame, now)
                        }
                    }
                    group.addTask {
                        for await _ in stopped {}
                        try await outbound.close(.normalClosure, reason: nil)
                    }
                    _ = try await group.next()
                    group.cancelAll()
                }
            }
        }
    }

    func close() async {
        stop.finish()
        _ = try? await task.value
    }
}

/// Times recorded by the sockets, shared across tasks.
final class BenchLog: Sendable {
    private struct State {
        var sent: [String: ContinuousClock.Instant] = [:]
        var pushed: [String: ContinuousClock.Instant] = [:]
        var assigned: Set<String> = []
        var sessions: [Int: String] = [:]
        var eventToSocket: [String: Double] = [:]
    }

    private let state = Mutex(State())

    func sent(_ id: String, at time: ContinuousClock.Instant) { state.withLock { $0.sent[id] = time } }
    func pushed(_ id: String, at time: ContinuousClock.Instant) { state.withLock { if $0.pushed[id] == nil { $0.pushed[id] = time } } }
    /// Milliseconds from the event's creation by routing (its envelope `time`) to its arrival on a socket.
    func eventAge(_ id: String, _ milliseconds: Double) { state.withLock { $0.eventToSocket[id] = $0.eventToSocket[id] ?? milliseconds } }
    /// The event ages of the messages whose client id starts with `prefix`, sorted.
    func eventAges(prefix: String) -> [Double] {
        state.withLock { $0.eventToSocket.filter { $0.key.hasPrefix(prefix) }.map(\.value).sorted() }
    }

    func assigned(_ session: String) { _ = state.withLock { $0.assigned.insert(session) } }
    func session(_ session: String, visitor: Int) { state.withLock { $0.sessions[visitor] = session } }

    var assignedCount: Int { state.withLock { $0.assigned.count } }
    var pushedCount: Int { state.withLock { $0.pushed.count } }
    var sessions: [Int: String] { state.withLock { $0.sessions } }

    /// Latencies in milliseconds from send to the agent's socket of the messages whose client id starts with
    /// `prefix`, and the span from their first send to their last push.
    func results(prefix: String) -> (latencies: [Double], first: ContinuousClock.Instant?, last: ContinuousClock.Instant?) {
        state.withLock { state in
            var latencies: [Double] = []
            var first: ContinuousClock.Instant?
            var last: ContinuousClock.Instant?
            for (id, pushed) in state.pushed where id.hasPrefix(prefix) {
                guard let sent = state.sent[id] else { continue }
                let (seconds, attoseconds) = (pushed - sent).components
                latencies.append(Double(seconds) * 1000 + Double(attoseconds) / 1e15)
                first = min(first ?? sent, sent)
                last = max(last ?? pushed, pushed)
            }
            return (latencies.sorted(), first, last)
        }
    }
}

/// What a run created, so that it can be undone whatever happens: visitor sessions are ended, agents set
/// offline, sockets closed and agent accounts disabled (the API has no account deletion).
final class BenchCreated: Sendable {
    private struct State {
        var adminToken: String?
        var agents: [(id: String, token: String)] = []
        var visitors: [String] = []
        var sockets: [BenchSocket] = []
    }

    private let state = Mutex(State())

    var adminToken: String? {
        get { state.withLock { $0.adminToken } }
        set { state.withLock { $0.adminToken = newValue } }
    }

    func addAgent(id: String, token: String) { state.withLock { $0.agents.append((id, token)) } }
    func addVisitor(_ token: String) { state.withLock { $0.visitors.append(token) } }
    func addSocket(_ socket: BenchSocket) { state.withLock { $0.sockets.append(socket) } }

    /// Ends the sessions, takes the agents offline, closes the sockets and disables the accounts; prints
    /// what it could not undo.
    func cleanUp(http: BenchHTTP, adminToken: String?) async {
        let (agents, visitors, sockets) = state.withLock { ($0.agents, $0.visitors, $0.sockets) }
        var failures = 0
        await withTaskGroup(of: Bool.self) { group in
            for visitor in visitors {
                group.addTask {
                    let status = (try? await http.call("POST", "/api/v1/visitor/end", token: visitor, json: .object([:])))?.0 ?? 0
                    return status == 200 || status == 404 || status == 409
                }
            }
            for agent in agents {
                group.addTask {
                    (try? await http.call("PUT", "/api/v1/agent/status", token: agent.token, json: .object(["status": "offline"])))?.0 == 200
                }
            }
            for await ok in group where !ok { failures += 1 }
        }
        for socket in sockets { await socket.close() }
        var disabled = 0
        if let adminToken {
            for agent in agents {
                let (status, _) = (try? await http.call(
                    "PATCH", "/api/v1/admin/accounts/\(agent.id)", token: adminToken, json: .object(["disabled": true]))) ?? (0, nil)
                if status == 200 { disabled += 1 }
            }
        }
        print("  cleanup: \(visitors.count) visitor sessions ended, \(disabled) of \(agents.count) bench agents offline and disabled"
            + (failures > 0 ? " (\(failures) calls failed)" : ""))
    }
}

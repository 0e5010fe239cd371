import Foundation
import KefuModel
import Logging

/// What a socket's one writer loop takes next: a frame for the client, a message from the client
/// (WebSocket), or a keepalive tick (SSE). One stream per socket, so a socket needs no task of its own
/// besides the connection's.
enum SocketItem: Sendable {
    case frame([UInt8])
    case client(WebSocketConnection.Message)
    case keepalive
}

/// An open socket's subscriber, its items, the way to add items, and what to run when it closes.
struct OpenSocket: Sendable {
    let subscriber: Subscriber
    let items: AsyncStream<SocketItem>
    let input: AsyncStream<SocketItem>.Continuation
    let cleanup: @Sendable () async -> Void
}

/// What a client may send on its socket.
struct ClientFrame: Decodable {
    var type: String
    var sessions: [String: Int]?
    /// `typing`: the session typed in.
    var sessionID: String?
    /// `typing` from a visitor: what the box holds so far.
    var preview: String?
    /// `read`: the highest seq of the session seen.
    var seq: Int?

    enum CodingKeys: String, CodingKey {
        case type, sessions, preview, seq
        case sessionID = "session_id"
    }
}

extension Gateway {
    /// Parses `resume=<session>:<seq>,…` (WebSocket query) or a `Last-Event-ID` of `<session>:<seq>`.
    static func resumePoints(_ text: String?) -> [String: Int] {
        var result: [String: Int] = [:]
        for item in (text ?? "").split(separator: ",") {
            let parts = item.split(separator: ":")
            guard parts.count == 2, let session = SessionID(String(parts[0])), let seq = Int(parts[1]), seq >= 0 else { continue }
            result[session.description] = seq
        }
        return result
    }

    /// Creates, registers and greets the subscriber of a socket; for agents, seeds the session map and
    /// starts the presence heartbeat.
    /// A `monitor` socket (supervisors and admins only) also gets the monitor's (监控) events.
    func openSubscriber(_ principal: Principal, resume: [String: Int], monitor: Bool = false) async -> OpenSocket {
        let (stream, continuation) = AsyncStream<SocketItem>.makeStream(bufferingPolicy: .bufferingOldest(10_000))
        let owner: Subscriber.Owner
        var hello: [String: JSONValue] = ["type": .string("hello")]
        switch principal {
        case .visitor(let token):
            owner = .visitor(channel: token.channel, visitorID: token.visitorID)
            hello["channel"] = .string(token.channel)
            hello["visitor_id"] = .string(token.visitorID)
        case .staff(let staff):
            owner = .agent(agentID: staff.agentID.description)
            hello["agent_id"] = .string(staff.agentID.description)
            hello["role"] = .string(staff.role.rawValue)
        }
        let subscriber = Subscriber(
            owner: owner, actor: principal.actor, output: continuation, history: historySource(), logger: context.logger)
        var heartbeatTask: Task<Void, Never>?
        if case .staff(let staff) = principal {
            if let mine = try? await forwarder.query(.routing, "sessions.mine", actor: staff.actor),
               let items = mine["items"], case .array(let list) = items {
                let ids = list.compactMap { $0["session_id"]?.stringValue }
                hub.seed(agentID: staff.agentID.description, sessions: ids)
                hello["sessions"] = items
            }
            if staff.role != .supervisor { heartbeatTask = startHeartbeat(staff.agentID) }
        }
        let heartbeat = heartbeatTask
        var watches = false
        if monitor, case .staff(let staff) = principal, staff.role.mayMonitor {
            watches = true
            hello["monitor"] = .bool(true)
        }
        guard hub.register(subscriber, monitor: watches) else {
            heartbeat?.cancel()
            await subscriber.close()
            return OpenSocket(subscriber: subscriber, items: stream, input: continuation, cleanup: {})
        }
        await subscriber.send(controlFrame(hello))
        if !resume.isEmpty {
            await subscriber.resume(resume)
            await sendReadMarks(Array(resume.keys), to: subscriber)
        }
        let hub = hub
        let cleanup: @Sendable () async -> Void = {
            heartbeat?.cancel()
            hub.unregister(subscriber)
            await subscriber.close()
        }
        return OpenSocket(subscriber: subscriber, items: stream, input: continuation, cleanup: cleanup)
    }

    /// Sends `agent.heartbeat` now and every interval until cancelled.
    private func startHeartbeat(_ agentID: AgentID) -> Task<Void, Never> {
        let forwarder = forwarder
        let interval = gateway.heartbeatInterval
        let ttl = gateway.heartbeatTTL
        let logger = context.logger
        return Task {
            while !Task.isCancelled {
                do {
                    try await forwarder.publish(AgentHeartbeat(agentID: agentID, ttlSeconds: ttl))
                } catch {
                    logger.warning("heartbeat not sent", metadata: ["agent": "\(agentID)", "error": "\(error)"])
                }
                try? await Task.sleep(for: .seconds(interval))
            }
        }
    }

    /// Where subscribers fetch missed events: the buffer, else store's `history.page` with `kinds=all`.
    func historySource() -> Subscriber.HistorySource {
        let forwarder = forwarder
        let hub = hub
        return Subscriber.HistorySource(
            buffer: hub.buffer,
            fetch: { session, after, actor in
                let params: [String: JSONValue] = [
                    "session_id": .string(session), "after_seq": .integer(Int64(after)), "limit": .integer(200),
                    "kinds": .string("all"),
                ]
                guard let page = try? await forwarder.query(.store, "history.page", actor: actor, params: params),
                      case .array(let items)? = page["items"] else { return nil }
                var events = items.compactMap { item -> LiveEvent? in
                    guard let type = item["type"]?.stringValue, var data = item["data"]?.objectValue else { return nil }
                    if data["seq"] == nil, let seq = item["seq"] { data["seq"] = seq }
                    return LiveEvent.make(type: type, time: item["time"]?.stringValue, data: .object(data), sessionID: session)
                }
                // Store gives a visitor the `seq` of staff-only events (internal notes) without the events.
                if case .array(let hidden)? = page["hidden_seqs"] {
                    events += hidden.compactMap { $0.intValue.map { LiveEvent.hidden(session: session, seq: $0) } }
                    events.sort { ($0.seq ?? 0) < ($1.seq ?? 0) }
                }
                return (events, page["next_after_seq"] != nil)
            },
            mayReadBuffered: { owner, event in
                switch owner {
                case .visitor(let channel, let visitorID): event.silent || event.concerns(channel: channel, visitorID: visitorID)
                case .agent(let agentID): event.sessionID.map { hub.serves(agentID: agentID, session: $0) } ?? false
                }
            })
    }

    /// Serves one WebSocket until either side closes it: frames out, the client's messages handled in turn,
    /// all from the socket's one item stream. While the socket idles its task holds only this loop's frame
    /// and the stream's wait: a client message is handled by ``handleClientMessage(_:from:)``, whose frames
    /// are only allocated while it runs.
    func serveWebSocket(_ socket: OpenSocket, connection: WebSocketConnection) async {
        loop: for await item in socket.items {
            switch item {
            case .frame(let frame):
                do {
                    try await connection.send(frame)
                } catch {
                    break loop
                }
            case .client(let message):
                await handleClientMessage(message, from: socket.subscriber)
            case .keepalive:
                break
            }
        }
        await socket.cleanup()
        await connection.close()
    }

    /// One message from a WebSocket client: `resume`, `ping`, `typing` or `read`; anything else is answered
    /// with an `error` frame.
    @inline(never)
    func handleClientMessage(_ message: WebSocketConnection.Message, from subscriber: Subscriber) async {
        guard case .text(let text) = message,
              let frame = try? JSONDecoder().decode(ClientFrame.self, from: Data(text.utf8)) else {
            await subscriber.send(controlFrame([
                "type": .string("error"), "code": .string("invalid_frame"),
                "message": .string("send JSON text frames like {\"type\":\"resume\",\"sessions\":{…}}"),
            ]))
            return
        }
        switch frame.type {
        case "resume":
            await subscriber.resume(frame.sessions ?? [:])
            await sendReadMarks(Array((frame.sessions ?? [:]).keys), to: subscriber)
        case "ping": await subscriber.send(controlFrame(["type": .string("pong")]))
        case "typing", "read":
            let kind: SessionSignal.Kind = frame.type == "typing" ? .typing : .read
            if let refusal = await signal(kind, frame, from: subscriber) { await subscriber.send(refusal) }
        default:
            await subscriber.send(controlFrame([
                "type": .string("error"), "code": .string("unknown_frame"),
                "message": .string("unknown frame type \(frame.type.prefix(40))"),
            ]))
        }
    }
}

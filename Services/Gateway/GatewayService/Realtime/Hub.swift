import Foundation
import KefuModel
import Logging
import Synchronization

/// Routes the events this instance tails to its sockets: visitors get their own events, agents the
/// events of sessions they serve (a session → agents map kept from `session.assigned`, `.transferred`
/// and `.ended`, seeded from routing's `sessions.mine`), their own `agent.updated` and `assist.suggested`,
/// every `leave_message.updated`, and queue changes. Monitor sockets (supervisors and admins watching 监控)
/// get every queue, assignment and agent event as it is, plus today's counters from one shared, coalesced
/// refresh (at most one reporting query per ``monitorRefreshDelay``, whatever the number of watchers).
final class Hub: Sendable {
    private struct State {
        var visitors: [String: [UUID: Subscriber]] = [:]
        var agents: [String: [UUID: Subscriber]] = [:]
        var sessionAgents: [String: Set<String>] = [:]
        var sessionVisitors: [String: String] = [:]
        var monitors: [UUID: Subscriber] = [:]
        var queueRefreshPending = false
        var countersRefreshPending = false
        var closing = false
    }

    let buffer: EventBuffer
    private let state = Mutex(State())
    private let logger: Logger
    /// Asks routing for the queue summary as the given agent (debounced); nil when unavailable.
    private let queueSummary: @Sendable (_ agentID: String) async -> JSONValue?
    /// Asks reporting for today's monitor counters as the given watcher; nil when unavailable.
    private let monitorCounters: @Sendable (_ actor: Actor) async -> JSONValue?

    /// The events monitor sockets get.
    static let monitorEvents: Set<String> = [
        "session.queued", "session.assigned", "session.transferred", "session.ended", "agent.updated",
    ]
    /// Events after which today's counters are refreshed.
    static let counterEvents: Set<String> = monitorEvents.union(["session.created", "rating.recorded"])
    /// How long a counters refresh waits for reporting to apply the burst of events that triggered it.
    static let monitorRefreshDelay = Duration.milliseconds(1000)

    /// Told of every socket that closes, to give memory back after a wave of closes.
    let trimmer: MemoryTrimmer

    init(
        buffer: EventBuffer, logger: Logger, trimmer: MemoryTrimmer = MemoryTrimmer(),
        queueSummary: @escaping @Sendable (_ agentID: String) async -> JSONValue?,
        monitorCounters: @escaping @Sendable (_ actor: Actor) async -> JSONValue? = { _ in nil }
    ) {
        self.buffer = buffer
        self.trimmer = trimmer
        self.logger = logger
        self.queueSummary = queueSummary
        self.monitorCounters = monitorCounters
    }

    static func visitorKey(_ channel: String, _ visitorID: String) -> String { channel + "\u{1F}" + visitorID }

    /// Adds a socket; false once the instance is shutting down (the caller closes it). A `monitor` socket
    /// (a supervisor's or admin's) also gets the monitor's events and counters.
    func register(_ subscriber: Subscriber, monitor: Bool = false) -> Bool {
        let registered = state.withLock { state in
            if state.closing { return false }
            if monitor { state.monitors[subscriber.id] = subscriber }
            switch subscriber.owner {
            case .visitor(let channel, let visitorID):
                state.visitors[Self.visitorKey(channel, visitorID), default: [:]][subscriber.id] = subscriber
            case .agent(let agentID):
                state.agents[agentID, default: [:]][subscriber.id] = subscriber
            }
            return true
        }
        if registered { trimmer.socketOpened() }
        return registered
    }

    /// Removes a socket.
    func unregister(_ subscriber: Subscriber) {
        let open = state.withLock { state -> Int? in
            switch subscriber.owner {
            case .visitor(let channel, let visitorID):
                let key = Self.visitorKey(channel, visitorID)
                guard state.visitors[key]?.removeValue(forKey: subscriber.id) != nil else { return nil }
                if state.visitors[key]?.isEmpty == true { state.visitors[key] = nil }
            case .agent(let agentID):
                state.monitors[subscriber.id] = nil
                guard state.agents[agentID]?.removeValue(forKey: subscriber.id) != nil else { return nil }
                if state.agents[agentID]?.isEmpty == true { state.agents[agentID] = nil }
            }
            return state.visitors.count + state.agents.count
        }
        if let open { trimmer.socketClosed(open: open) }
    }

    /// Closes every socket (at shutdown), so that clients reconnect to another instance and resume.
    func closeAll() async {
        let all = state.withLock { state in
            state.closing = true
            return state.visitors.values.flatMap(\.values) + state.agents.values.flatMap(\.values)
        }
        for subscriber in all { await subscriber.close() }
    }

    /// Closes every socket of `agentID` on this instance (the account was disabled; its tokens are revoked,
    /// so it cannot reconnect).
    func closeAgent(_ agentID: String) async {
        let sockets = state.withLock { state in
            let sockets = state.agents.removeValue(forKey: agentID.lowercased()).map { Array($0.values) } ?? []
            for socket in sockets { state.monitors[socket.id] = nil }
            for session in state.sessionAgents.keys { state.sessionAgents[session]?.remove(agentID.lowercased()) }
            return sockets
        }
        for subscriber in sockets { await subscriber.close() }
    }

    /// Records that `agentID` serves `sessions` (from routing's `sessions.mine`).
    func seed(agentID: String, sessions: [String]) {
        state.withLock { state in
            for session in sessions { state.sessionAgents[session.lowercased(), default: []].insert(agentID) }
        }
    }

    /// Whether `agentID` serves `session` as far as this instance knows.
    func serves(agentID: String, session: String) -> Bool {
        state.withLock { $0.sessionAgents[session]?.contains(agentID) == true }
    }

    /// How many sockets are open (visitors, agents).
    var counts: (visitors: Int, agents: Int) {
        state.withLock { state in
            (state.visitors.values.reduce(0) { $0 + $1.count }, state.agents.values.reduce(0) { $0 + $1.count })
        }
    }

    /// Handles a batch tailed from the events stream, in order.
    func dispatch(_ entries: [TailEntry]) async {
        var queueChanged = false
        var countersChanged = false
        for entry in entries {
            guard let bytes = entry.event, let event = LiveEvent.parse(bytes) else { continue }
            buffer.append(event)
            let targets = route(event)
            for target in targets { await target.offer(event) }
            if Self.monitorEvents.contains(event.type) {
                let monitors = state.withLock { Array($0.monitors.values) }
                for monitor in monitors { await monitor.send(event.frame) }
            } else if event.type == "message.accepted" {
                let monitors = state.withLock { Array($0.monitors.values) }
                if !monitors.isEmpty, let frame = Self.replyFrame(event) {
                    for monitor in monitors { await monitor.send(frame) }
                }
            }
            if Self.counterEvents.contains(event.type) { countersChanged = true }
            if ["session.queued", "session.assigned", "session.ended", "queue.position"].contains(event.type) {
                queueChanged = true
            }
            if event.type == "agent.updated", event.enabled == false, let agent = event.agentID {
                await closeAgent(agent)
            }
        }
        if queueChanged { scheduleQueueRefresh() }
        if countersChanged { scheduleCountersRefresh() }
    }

    /// For the monitor's 最长等待 per agent: a visitor's or agent's message, without its content, as
    /// `{"type":"monitor.reply","session_id":…,"sender":"visitor"|"agent","time":…}` (a visitor's message starts a
    /// wait for the agent's reply, the agent's ends it); nil for other events.
    static func replyFrame(_ event: LiveEvent) -> [UInt8]? {
        guard event.type == "message.accepted", let sender = event.sender, sender == "visitor" || sender == "agent",
              let session = event.sessionID else { return nil }
        return controlFrame([
            "type": .string("monitor.reply"), "session_id": .string(session), "sender": .string(sender),
            "time": event.time.map(JSONValue.string) ?? .null,
        ])
    }

    /// Refreshes today's counters once per burst and sends them to every monitor socket of this instance.
    private func scheduleCountersRefresh() {
        let start = state.withLock { state -> Bool in
            guard !state.countersRefreshPending, !state.monitors.isEmpty else { return false }
            state.countersRefreshPending = true
            return true
        }
        guard start else { return }
        Task {
            try? await Task.sleep(for: Self.monitorRefreshDelay)
            state.withLock { $0.countersRefreshPending = false }
            guard let asker = state.withLock({ $0.monitors.values.first?.actor }),
                  let counters = await monitorCounters(asker)?.objectValue else { return }
            var frame: [String: JSONValue] = ["type": .string("monitor.counters")]
            frame["counters"] = .object(counters)
            let bytes = controlFrame(frame)
            let monitors = state.withLock { Array($0.monitors.values) }
            for monitor in monitors { await monitor.send(bytes) }
        }
    }

    /// The sockets `event` goes to; updates the session → agents map.
    private func route(_ event: LiveEvent) -> [Subscriber] {
        state.withLock { state in
            var targets: [Subscriber] = []
            if let channel = event.channel, let visitorID = event.visitorID, !event.isStaffOnly {
                targets += state.visitors[Self.visitorKey(channel, visitorID)]?.values.map { $0 } ?? []
            }
            var agents: Set<String> = []
            if let session = event.sessionID, let channel = event.channel, let visitorID = event.visitorID {
                if event.type == "session.ended" {
                    state.sessionVisitors[session] = nil
                } else {
                    state.sessionVisitors[session] = Self.visitorKey(channel, visitorID)
                }
            }
            if let session = event.sessionID {
                switch event.type {
                case "session.assigned":
                    if let agent = event.agentID { state.sessionAgents[session, default: []].insert(agent) }
                case "session.transferred":
                    if let agent = event.toAgentID { state.sessionAgents[session, default: []].insert(agent) }
                default:
                    break
                }
                agents = state.sessionAgents[session] ?? []
                switch event.type {
                case "session.transferred":
                    if let from = event.fromAgentID {
                        agents.insert(from)
                        state.sessionAgents[session]?.remove(from)
                    }
                case "session.ended":
                    if let agent = event.agentID { agents.insert(agent) }
                    state.sessionAgents[session] = nil
                case "assist.suggested":
                    agents = event.agentID.map { [$0] } ?? []
                default:
                    break
                }
            }
            switch event.type {
            case "agent.updated":
                agents = event.agentID.map { [$0] } ?? []
            case "leave_message.updated":
                agents = Set(state.agents.keys)
            default:
                break
            }
            for agent in agents { targets += state.agents[agent]?.values.map { $0 } ?? [] }
            return targets
        }
    }

    /// Handles a batch tailed from the signals stream: a visitor's signal goes to the agents serving the
    /// session, an agent's to the visitor's sockets; the sender's own side gets nothing.
    func dispatchSignals(_ entries: [TailEntry]) async {
        for entry in entries {
            guard let bytes = entry.event, let signal = try? JSONDecoder().decode(SessionSignal.self, from: Data(bytes)) else { continue }
            let session = signal.sessionID.lowercased()
            let targets: [Subscriber] = state.withLock { state in
                switch signal.from {
                case .visitor:
                    return (state.sessionAgents[session] ?? []).flatMap { state.agents[$0]?.values.map { $0 } ?? [] }
                case .agent:
                    guard let key = state.sessionVisitors[session] else { return [] }
                    return state.visitors[key]?.values.map { $0 } ?? []
                }
            }
            guard !targets.isEmpty else { continue }
            let frame = signal.frame
            for target in targets { await target.send(frame) }
        }
    }

    /// Refreshes the queue summary once per burst of queue changes and sends it to every agent socket.
    private func scheduleQueueRefresh() {
        let start = state.withLock { state -> Bool in
            guard !state.queueRefreshPending, !state.agents.isEmpty else { return false }
            state.queueRefreshPending = true
            return true
        }
        guard start else { return }
        Task {
            try? await Task.sleep(for: .milliseconds(250))
            state.withLock { $0.queueRefreshPending = false }
            var frame: [String: JSONValue] = ["type": .string("queue")]
            let asker = state.withLock { $0.agents.keys.first }
            if let asker, let summary = await queueSummary(asker)?.objectValue {
                frame.merge(summary) { _, new in new }
            }
            let bytes = controlFrame(frame)
            let agents = state.withLock { $0.agents.values.flatMap { $0.values } }
            for agent in agents { await agent.send(bytes) }
        }
    }
}

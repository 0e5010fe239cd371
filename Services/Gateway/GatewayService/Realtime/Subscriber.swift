import Foundation
import KefuModel
import Logging

/// One connected socket (WebSocket or SSE): what it may see, and per session the last `seq` it was sent,
/// so that it gets every sequenced event exactly once and in order.
///
/// A session is *catching up* while missed events are fetched (from the instance's buffer, else store's
/// `history.page`); live events of that session are held meanwhile and released after, skipping those
/// already sent. A live event that jumps ahead of the last sent starts a catch-up for the gap.
actor Subscriber {
    /// Whose socket this is.
    enum Owner: Sendable {
        case visitor(channel: String, visitorID: String)
        case agent(agentID: String)
    }

    nonisolated let id = UUID()
    nonisolated let owner: Owner
    nonisolated let actor: Actor
    private let output: AsyncStream<SocketItem>.Continuation
    private let history: HistorySource
    private let logger: Logger
    private var delivered: [String: Int] = [:]
    private var held: [String: [LiveEvent]] = [:]
    private var closed = false
    private var lastTyping: ContinuousClock.Instant?

    /// Where missed events come from.
    struct HistorySource: Sendable {
        /// The instance's recent events.
        var buffer: EventBuffer
        /// A page of store's history: events of `session` after `seq`, ascending; nil when unavailable.
        var fetch: @Sendable (_ session: String, _ after: Int, _ actor: Actor) async -> (items: [LiveEvent], more: Bool)?
        /// Whether the owner may read the session from the instance buffer without asking store.
        var mayReadBuffered: @Sendable (_ owner: Owner, _ event: LiveEvent) -> Bool
    }

    init(owner: Owner, actor: Actor, output: AsyncStream<SocketItem>.Continuation, history: HistorySource, logger: Logger) {
        self.owner = owner
        self.actor = actor
        self.output = output
        self.history = history
        self.logger = logger
    }

    /// Sends a frame that is not a sequenced event.
    func send(_ frame: [UInt8]) {
        guard !closed else { return }
        if case .dropped = output.yield(.frame(frame)) { overflow() }
    }

    /// A live event for this socket.
    func offer(_ event: LiveEvent) {
        if case .visitor = owner, event.isStaffOnly { return }
        guard let session = event.sessionID, let seq = event.seq else {
            send(event.frame)
            return
        }
        if held[session] != nil {
            held[session, default: []].append(event)
            return
        }
        guard let last = delivered[session] else {
            deliver(event, session: session, seq: seq)
            return
        }
        if seq <= last { return }
        if seq == last + 1 {
            deliver(event, session: session, seq: seq)
            return
        }
        held[session] = [event]
        Task { await catchUp(session) }
    }

    /// The client's last seen `seq` per session: sends what it missed, then live events.
    func resume(_ sessions: [String: Int]) {
        for (session, last) in sessions {
            let session = session.lowercased()
            delivered[session] = max(last, delivered[session] ?? 0)
            if held[session] == nil {
                held[session] = []
                Task { await catchUp(session) }
            }
        }
    }

    /// Whether the socket was sent any event of `session` (a visitor may signal typing only there).
    func knows(_ session: String) -> Bool {
        delivered[session] != nil || held[session] != nil
    }

    /// Whether a typing signal may go out now: at most one per `interval` per socket.
    func allowTyping(every interval: Duration) -> Bool {
        let now = ContinuousClock.now
        if let last = lastTyping, now - last < interval { return false }
        lastTyping = now
        return true
    }

    /// Stops sending.
    func close() {
        closed = true
        output.finish()
    }

    private func deliver(_ event: LiveEvent, session: String, seq: Int) {
        delivered[session] = seq
        if !event.silent { send(event.frame) }
    }

    private func overflow() {
        logger.warning("socket fell too far behind; closing it so the client resumes")
        close()
    }

    /// Fills the gap after `delivered[session]`, then releases held events. Retries a few times when
    /// store has not caught up yet; after that tells the client with a `gap` frame.
    private func catchUp(_ session: String) async {
        var attempts = 0
        while !closed {
            attempts += 1
            let from = delivered[session] ?? 0
            let missed = await fetchMissed(session: session, after: from)
            for event in missed {
                guard let seq = event.seq else { continue }
                let last = delivered[session] ?? 0
                if seq == last + 1 || delivered[session] == nil { deliver(event, session: session, seq: seq) }
            }
            var pending = (held[session] ?? []).sorted { ($0.seq ?? 0) < ($1.seq ?? 0) }
            while let next = pending.first, let seq = next.seq {
                let last = delivered[session] ?? 0
                if seq <= last {
                    pending.removeFirst()
                } else if seq == last + 1 {
                    deliver(next, session: session, seq: seq)
                    pending.removeFirst()
                } else {
                    break
                }
            }
            if pending.isEmpty {
                held[session] = nil
                return
            }
            held[session] = pending
            if attempts >= 5 {
                let last = delivered[session] ?? 0
                let next = pending[0].seq ?? last
                send(controlFrame([
                    "type": .string("gap"), "session_id": .string(session),
                    "after_seq": .integer(Int64(last)), "before_seq": .integer(Int64(next)),
                ]))
                delivered[session] = next - 1
                continue
            }
            try? await Task.sleep(for: .milliseconds(200 * attempts))
        }
    }

    private func fetchMissed(session: String, after seq: Int) async -> [LiveEvent] {
        var buffered = history.buffer.events(session: session, after: seq)
        if case .visitor = owner {
            // A visitor skips the `seq` of staff-only events (internal notes) without seeing them.
            buffered.events = buffered.events.map { $0.isStaffOnly ? LiveEvent.hidden(session: session, seq: $0.seq ?? 0) : $0 }
        }
        if buffered.complete, buffered.events.allSatisfy({ history.mayReadBuffered(owner, $0) }) {
            return buffered.events
        }
        var result: [LiveEvent] = []
        var cursor = seq
        while !closed {
            guard let page = await history.fetch(session, cursor, actor) else { break }
            result += page.items
            cursor = page.items.last?.seq ?? cursor
            if !page.more || page.items.isEmpty { break }
            if let first = buffered.events.first?.seq, cursor + 1 >= first { break }
        }
        if let first = buffered.events.first?.seq, first <= cursor + 1,
           buffered.events.allSatisfy({ history.mayReadBuffered(owner, $0) }) {
            result += buffered.events.filter { ($0.seq ?? 0) > cursor }
        }
        return result
    }
}

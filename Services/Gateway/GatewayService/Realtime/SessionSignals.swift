import Foundation
import KefuModel
import Redis

/// Signals from one side of a session to the other: "typing…" (正在输入) and "read up to seq" (已读).
/// Carried between gateway instances by the capped `<prefix>:signals` stream that every instance tails;
/// never written to PostgreSQL and not part of the connector contract. Read marks are also kept per session
/// in Redis (`<prefix>:read:<session>`, 7 days) so that a socket that resumes a session gets them again.
struct SessionSignal: Codable, Sendable {
    /// What is signalled.
    enum Kind: String, Codable, Sendable {
        case typing, read
    }

    /// Who signals.
    enum Side: String, Codable, Sendable {
        case visitor, agent

        /// The other side of the session.
        var other: Side { self == .visitor ? .agent : .visitor }
    }

    var kind: Kind
    var sessionID: String
    var from: Side
    /// The signalling agent.
    var agentID: String?
    /// Typing: what the visitor has typed so far (at most ``previewLimit`` characters); agents send none.
    var preview: String?
    /// Read: the highest `seq` of the session this side has seen.
    var seq: Int?

    /// Longest preview passed on.
    static let previewLimit = 100
    /// At most one typing signal per socket in this interval; clients send one about every second while typing.
    static let typingInterval: Duration = .milliseconds(800)
    /// Entries kept in the stream (`MAXLEN ~`): signals are only useful for a few seconds.
    static let streamLength = 1_000
    /// How long a session's read marks are kept.
    static let readMarkSeconds = 7 * 24 * 3600

    enum CodingKeys: String, CodingKey {
        case kind, from, preview, seq
        case sessionID = "session_id"
        case agentID = "agent_id"
    }

    /// The frame sockets get: `{"type":"typing"|"read","session_id":…,"from":…, …}`.
    var frame: [UInt8] {
        var object: [String: JSONValue] = [
            "type": .string(kind.rawValue), "session_id": .string(sessionID.lowercased()), "from": .string(from.rawValue),
        ]
        if let agentID { object["agent_id"] = .string(agentID) }
        if let preview { object["preview"] = .string(preview) }
        if let seq { object["seq"] = .integer(Int64(seq)) }
        return controlFrame(object)
    }
}

extension Gateway {
    /// Raises a side's read mark when `seq` is higher; 1 when it did.
    private static let raiseReadMark = """
        local current = tonumber(redis.call('HGET', KEYS[1], ARGV[1]) or '0')
        if tonumber(ARGV[2]) <= current then return 0 end
        redis.call('HSET', KEYS[1], ARGV[1], ARGV[2])
        redis.call('EXPIRE', KEYS[1], ARGV[3])
        return 1
        """

    private func readKey(_ session: String) -> String { "\(context.streams.prefix):read:\(session)" }

    /// A socket's `typing` or `read` frame. A visitor may signal in a session its socket was sent events of,
    /// an agent in a session it serves. Typing past one per ``SessionSignal/typingInterval`` is dropped
    /// quietly, and so is a read mark that does not move forward. Returns an error frame when refused.
    func signal(_ kind: SessionSignal.Kind, _ frame: ClientFrame, from subscriber: Subscriber) async -> [UInt8]? {
        guard let session = frame.sessionID.flatMap(SessionID.init)?.description.lowercased() else {
            return errorFrame("invalid_frame", "a \(kind.rawValue) frame needs the session_id it is about")
        }
        var signal: SessionSignal
        switch subscriber.owner {
        case .visitor:
            guard await subscriber.knows(session) else { return notYours(session) }
            signal = SessionSignal(kind: kind, sessionID: session, from: .visitor)
        case .agent(let agentID):
            guard hub.serves(agentID: agentID, session: session) else { return notYours(session) }
            signal = SessionSignal(kind: kind, sessionID: session, from: .agent, agentID: agentID)
        }
        switch kind {
        case .typing:
            if signal.from == .visitor, let preview = frame.preview?.prefix(SessionSignal.previewLimit), !preview.isEmpty {
                signal.preview = String(preview)
            }
            guard await subscriber.allowTyping(every: SessionSignal.typingInterval) else { return nil }
        case .read:
            guard let seq = frame.seq, seq >= 1 else {
                return errorFrame("invalid_frame", "a read frame needs the seq read up to (1 or more)")
            }
            signal.seq = seq
            let raised = try? await context.redis.send([
                "EVAL", Self.raiseReadMark, "1", readKey(session), signal.from.rawValue, String(seq),
                String(SessionSignal.readMarkSeconds),
            ])
            guard raised?.int == 1 else { return nil }
        }
        await publish(signal)
        return nil
    }

    /// Sends `subscriber` the other side's read marks of `sessions` (after a resume): a visitor's sessions
    /// it was sent events of, an agent's sessions it serves.
    func sendReadMarks(_ sessions: [String], to subscriber: Subscriber) async {
        for session in sessions.map({ $0.lowercased() }) {
            let other: SessionSignal.Side
            switch subscriber.owner {
            case .visitor:
                guard await subscriber.knows(session) else { continue }
                other = .agent
            case .agent(let agentID):
                guard hub.serves(agentID: agentID, session: session) else { continue }
                other = .visitor
            }
            guard let reply = try? await context.redis.send(["HGET", readKey(session), other.rawValue]),
                  let text = reply.string, let seq = Int(text) else { continue }
            await subscriber.send(SessionSignal(kind: .read, sessionID: session, from: other, seq: seq).frame)
        }
    }

    private func publish(_ signal: SessionSignal) async {
        guard let bytes = try? JSONEncoder().encode(signal) else { return }
        do {
            _ = try await context.redis.send([
                Array("XADD".utf8), Array(context.streams.signals.utf8), Array("MAXLEN".utf8), Array("~".utf8),
                Array(String(SessionSignal.streamLength).utf8), Array("*".utf8), Array("event".utf8), Array(bytes),
            ])
        } catch {
            context.logger.debug("session signal not sent", metadata: ["error": "\(error)"])
        }
    }

    private func notYours(_ session: String) -> [UInt8] {
        errorFrame("not_your_session", "session \(session) is not one this socket may signal in")
    }

    private func errorFrame(_ code: String, _ message: String) -> [UInt8] {
        controlFrame(["type": .string("error"), "code": .string(code), "message": .string(message)])
    }
}

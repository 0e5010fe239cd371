import Foundation
import KefuModel

/// "Typing…" (正在输入): a signal from one side of a session to the other, carried between gateway
/// instances by the capped `<prefix>:typing` stream that every instance tails. Ephemeral: never written to
/// PostgreSQL, never replayed, not part of the connector contract.
struct TypingSignal: Codable, Sendable {
    /// Who is typing.
    enum Side: String, Codable, Sendable {
        case visitor, agent
    }

    var sessionID: String
    var from: Side
    /// The typing agent.
    var agentID: String?
    /// What the visitor has typed so far (at most ``previewLimit`` characters); agents send none.
    var preview: String?

    /// Longest preview passed on.
    static let previewLimit = 100
    /// At most one signal per socket in this interval; clients send one about every second while typing.
    static let interval: Duration = .milliseconds(800)
    /// Entries kept in the stream (`MAXLEN ~`): signals are only useful for a few seconds.
    static let streamLength = 1_000

    enum CodingKeys: String, CodingKey {
        case from, preview
        case sessionID = "session_id"
        case agentID = "agent_id"
    }

    /// The frame sockets get: `{"type":"typing","session_id":…,"from":"visitor","preview":…}`.
    var frame: [UInt8] {
        var object: [String: JSONValue] = [
            "type": .string("typing"), "session_id": .string(sessionID.lowercased()), "from": .string(from.rawValue),
        ]
        if let agentID { object["agent_id"] = .string(agentID) }
        if let preview { object["preview"] = .string(preview) }
        return controlFrame(object)
    }
}

extension Gateway {
    /// A socket's `{"type":"typing","session_id":…,"preview":…}`: a visitor may signal in a session it was
    /// sent events of, an agent in a session it serves. Signals past one per ``TypingSignal/interval`` are
    /// dropped quietly. Returns an error frame for the client when refused.
    func typing(_ frame: ClientFrame, from subscriber: Subscriber) async -> [UInt8]? {
        guard let session = frame.sessionID.flatMap(SessionID.init)?.description.lowercased() else {
            return controlFrame([
                "type": .string("error"), "code": .string("invalid_frame"),
                "message": .string("a typing frame needs the session_id it is typed in"),
            ])
        }
        let signal: TypingSignal
        switch subscriber.owner {
        case .visitor:
            guard await subscriber.knows(session) else { return notYours(session) }
            let preview = frame.preview.map { String($0.prefix(TypingSignal.previewLimit)) }
            signal = TypingSignal(sessionID: session, from: .visitor, preview: preview?.isEmpty == true ? nil : preview)
        case .agent(let agentID):
            guard hub.serves(agentID: agentID, session: session) else { return notYours(session) }
            signal = TypingSignal(sessionID: session, from: .agent, agentID: agentID)
        }
        guard await subscriber.allowTyping(every: TypingSignal.interval),
              let bytes = try? JSONEncoder().encode(signal) else { return nil }
        do {
            _ = try await context.redis.send([
                Array("XADD".utf8), Array(context.streams.typing.utf8), Array("MAXLEN".utf8), Array("~".utf8),
                Array(String(TypingSignal.streamLength).utf8), Array("*".utf8), Array("event".utf8), Array(bytes),
            ])
        } catch {
            context.logger.debug("typing signal not sent", metadata: ["error": "\(error)"])
        }
        return nil
    }

    private func notYours(_ session: String) -> [UInt8] {
        controlFrame([
            "type": .string("error"), "code": .string("not_your_session"),
            "message": .string("session \(session) is not one this socket may signal typing in"),
        ])
    }
}

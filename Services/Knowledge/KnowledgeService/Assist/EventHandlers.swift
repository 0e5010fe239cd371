import Foundation
import KefuModel
import Postgres
import ServiceRuntime

/// The `knowledge` group on the events stream: session → agent tracking and smart assist (智能辅助).
extension KnowledgeEngine {
    func sessionAssigned(_ event: IncomingEvent, _ connection: PostgresConnection) throws {
        let data = try decodeEvent(SessionAssigned.self, event)
        try sessions.record(data.sessionID.uuid, seq: data.seq, agent: data.agentID.uuid, ended: false, connection)
    }

    func sessionTransferred(_ event: IncomingEvent, _ connection: PostgresConnection) throws {
        let data = try decodeEvent(SessionTransferred.self, event)
        try sessions.record(data.sessionID.uuid, seq: data.seq, agent: data.toAgentID.uuid, ended: false, connection)
    }

    func sessionQueued(_ event: IncomingEvent, _ connection: PostgresConnection) throws {
        let data = try decodeEvent(SessionQueued.self, event)
        try sessions.record(data.sessionID.uuid, seq: data.seq, agent: nil, ended: false, connection)
    }

    func sessionEnded(_ event: IncomingEvent, _ connection: PostgresConnection) throws {
        let data = try decodeEvent(SessionEnded.self, event)
        try sessions.record(data.sessionID.uuid, seq: data.seq, agent: nil, ended: true, connection)
    }

    /// A visitor's text in a session an agent serves: publish up to 3 suggestions (possibly none) for that agent.
    func messageAccepted(_ event: IncomingEvent, _ connection: PostgresConnection) throws {
        let data = try decodeEvent(MessageAccepted.self, event)
        guard data.sender == .visitor, let text = data.content.text,
              let agent = try sessions.agent(serving: data.sessionID.uuid, at: data.seq, connection)
        else { return }
        var suggestions = try suggestions(for: text, connection)
        var publication = Publication(streams: streams, source: Self.source, cause: event.header)
        while true {
            let payload = AssistSuggested(
                sessionID: data.sessionID, questionSeq: data.seq, agentID: AgentID(agent), suggestions: suggestions)
            do {
                try publication.event(payload)
                break
            } catch ContractError.tooLarge where !suggestions.isEmpty {
                suggestions.removeLast()
            }
        }
        try publication.flush(to: outbox, on: connection)
    }

    private func decodeEvent<Payload: EventPayload>(_ type: Payload.Type, _ event: IncomingEvent) throws -> Payload {
        do {
            return try event.decode(type).data
        } catch {
            throw KnowledgeHandlerError.malformed(type: Payload.eventType.rawValue, reason: "\(error)")
        }
    }
}

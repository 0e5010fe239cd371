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
        var suggestions: [AssistSuggestion]
        if let memo = AssistMemo.current(on: connection) {
            suggestions = try memo.suggestions(for: text) { try self.suggestions(for: $0, connection) }
        } else {
            suggestions = try self.suggestions(for: text, connection)
        }
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

    /// Reads what a batch of the events stream needs before its handlers run: the assignment history of the
    /// sessions it names, and a fresh ``AssistMemo``.
    func prepareEvents(_ events: [IncomingEvent], _ connection: PostgresConnection) throws {
        try sessions.prepare(events, connection)
        connection.transactionNotes.append(AssistMemo())
    }

    private func decodeEvent<Payload: EventPayload>(_ type: Payload.Type, _ event: IncomingEvent) throws -> Payload {
        do {
            return try event.decode(type).data
        } catch {
            throw KnowledgeHandlerError.malformed(type: Payload.eventType.rawValue, reason: "\(error)")
        }
    }
}

/// The smart-assist suggestions of one events batch by visitor text: a text the batch repeats is matched (and its
/// entries read) once. Nothing in an events batch edits entries, so every message of the batch is offered
/// what the first one with that text was (as ``QuestionBatch`` does for the bot).
final class AssistMemo: @unchecked Sendable {
    private var byText: [String: [AssistSuggestion]] = [:]

    /// The memo attached to the connection's transaction, if any.
    static func current(on connection: PostgresConnection) -> AssistMemo? {
        connection.transactionNotes.lazy.compactMap { $0 as? AssistMemo }.first
    }

    /// The suggestions for `text`, worked out by `make` the first time the batch asks.
    func suggestions(for text: String, _ make: (String) throws -> [AssistSuggestion]) rethrows -> [AssistSuggestion] {
        if let known = byText[text] { return known }
        let made = try make(text)
        byText[text] = made
        return made
    }
}

import Foundation
import KefuModel
import Postgres
import ServiceRuntime

/// Internal notes (内部备注): staff-only entries of a session's history.
extension RoutingEngine {
    /// Whether `role` / `agentID` may write a note into `session`: an admin or a supervisor (from the monitor)
    /// into any session; an agent into a session served by them (assigned to them now, or ended while they
    /// served it, so a note can go with the summary).
    func mayWriteNote(role: ActorRole, agentID: AgentID, session: SessionRecord) throws {
        switch role {
        case .admin, .supervisor:
            return
        case .agent:
            if session.state == .assigned, session.agentID == agentID { return }
            if session.state == .ended, session.summaryAgentID == agentID { return }
            throw Refusal(.notYourSession, "session \(session.id) is not served by you")
        case .visitor, .service:
            throw Refusal(.forbidden, "only staff write internal notes")
        }
    }

    /// `agent.note`: deduplicated per (account, `client_note_id`), masked, numbered with the session's next
    /// `seq` and published as `note.added` (staff only).
    func agentNote(_ event: IncomingEvent, _ connection: PostgresConnection) throws {
        try run(event, on: connection) { publication in
            let note = try decode(AgentNote.self, event).data
            let key = RoutingBatch.MessageKey(
                sender: "note", channel: "", owner: note.agentID.description, clientMessageID: note.clientNoteID)
            if let first = try acceptedBefore(key, on: connection) {
                try publication.reply(.success(first))
                return
            }
            guard var session = try sessions.lock(note.sessionID, on: connection) else {
                throw Refusal(.unknownSession, "no session \(note.sessionID)")
            }
            try mayWriteNote(role: note.role, agentID: note.agentID, session: session)
            let settings = try self.settings.current(on: connection)
            let seq = session.nextSeq()
            try publication.event(NoteAdded(
                sessionID: session.id, seq: seq, agentID: note.agentID, role: note.role, clientNoteID: note.clientNoteID,
                text: settings.mask(note.text)))
            connection.queue("UPDATE \(schema).sessions SET last_seq = $2 WHERE id = $1", [session.id.uuid, session.lastSeq])
            recordAccepted(key, session: session.id, seq: seq, on: connection)
            try publication.reply(.success(.members([("session_id", .string(session.id.description)), ("seq", .int(seq))])))
        }
    }
}

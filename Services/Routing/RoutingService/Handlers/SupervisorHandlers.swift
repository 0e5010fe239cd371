import Foundation
import KefuModel
import Postgres
import ServiceRuntime

/// Handlers of the monitor's (监控) commands: a supervisor or admin acts on any session. The gateway checks the
/// role before it writes these entries, as it does for `admin.*`.
extension RoutingEngine {
    /// `supervisor.transfer`: moves any assigned session to another online agent with spare capacity.
    func supervisorTransfer(_ event: IncomingEvent, _ connection: PostgresConnection) throws {
        try run(event, on: connection) { publication in
            let command = try decode(SupervisorTransfer.self, event).data
            guard var session = try sessions.lock(command.sessionID, on: connection) else {
                throw Refusal(.unknownSession, "no session \(command.sessionID)")
            }
            guard session.state == .assigned, let from = session.agentID else {
                throw Refusal(.sessionNotActive, "session \(command.sessionID) is \(session.state.rawValue), not served by an agent")
            }
            guard from != command.toAgentID else {
                throw Refusal(.transferToSelf, "the session is already served by that agent")
            }
            try transfer(&session, from: from, to: command.toAgentID, note: command.note, into: &publication, on: connection)
            try publication.reply(.success(.members([
                ("session_id", .string(session.id.description)), ("from_agent_id", .string(from.description)),
                ("to_agent_id", .string(command.toAgentID.description)),
            ])))
        }
    }

    /// `supervisor.end_session`: ends any queued or assigned session (reason `agent`).
    func supervisorEndSession(_ event: IncomingEvent, _ connection: PostgresConnection) throws {
        try run(event, on: connection) { publication in
            let command = try decode(SupervisorEndSession.self, event).data
            guard var session = try sessions.lock(command.sessionID, on: connection) else {
                throw Refusal(.unknownSession, "no session \(command.sessionID)")
            }
            guard session.state == .assigned || session.state == .queued else {
                throw Refusal(.sessionNotActive, "session \(command.sessionID) is \(session.state.rawValue), not queued or served")
            }
            let settings = try self.settings.current(on: connection)
            try end(&session, reason: .agent, settings: settings, into: &publication, on: connection)
            try publication.reply(.success(.members([
                ("session_id", .string(session.id.description)), ("rating_invited", .bool(session.ratingInvited)),
            ])))
        }
    }
}

import Foundation
import KefuModel
import Postgres
import ServiceRuntime

/// Visitor blocks (黑名单): `agent.block_visitor`, `admin.block_visitor`, `admin.lift_block`, and the check that refuses a blocked
/// visitor's messages and transfer requests. The `blocked_visitors` rows are the audit: never deleted.
extension RoutingEngine {
    /// `agent.block_visitor`: only the agent serving the session; not the agent themself nor another agent's
    /// account. Records the block, ends the session as an agent end (`session.ended` reason `agent`) and
    /// answers with the block's id and end time.
    func agentBlockVisitor(_ event: IncomingEvent, _ connection: PostgresConnection) throws {
        try run(event, on: connection) { publication in
            let command = try decode(AgentBlockVisitor.self, event).data
            var session = try agentsSession(command.sessionID, agent: command.agentID, on: connection)
            let (id, until) = try block(
                session, by: command.agentID, reason: command.reason, durationMinutes: command.durationMinutes, on: connection)
            let settings = try self.settings.current(on: connection)
            try end(&session, reason: .agent, settings: settings, into: &publication, on: connection)
            try publication.reply(.success(.members([
                ("block_id", .string(id.description)), ("session_id", .string(session.id.description)),
                ("until", .time(until) ?? .null),
            ])))
        }
    }

    /// `admin.block_visitor`: an admin blocks the visitor of any session (会话记录 › 拉黑), also an ended one; the
    /// visitor's open session on that channel, if any, ends (reason `agent`).
    func adminBlockVisitor(_ event: IncomingEvent, _ connection: PostgresConnection) throws {
        try run(event, on: connection) { publication in
            let command = try decode(AdminBlockVisitor.self, event).data
            guard let session = try sessions.lock(command.sessionID, on: connection) else {
                throw Refusal(.unknownSession, "no session \(command.sessionID)")
            }
            let (id, until) = try block(
                session, by: command.actorID, reason: command.reason, durationMinutes: command.durationMinutes, on: connection)
            var ended: SessionID?
            if var open = session.state.isOpen ? session
                : try sessions.lockOpen(channel: session.channel, visitorID: session.visitorID, on: connection) {
                let settings = try self.settings.current(on: connection)
                try end(&open, reason: .agent, endedBy: command.actorID, settings: settings, into: &publication, on: connection)
                ended = open.id
            }
            try publication.reply(.success(.members([
                ("block_id", .string(id.description)), ("session_id", .string(session.id.description)),
                ("until", .time(until) ?? .null), ("ended_session_id", ended.map { .string($0.description) } ?? .null),
            ])))
        }
    }

    /// Records a block on the visitor of `session` by `actor` (an agent or admin): refused for the actor
    /// themself (`cannot_block_self`), another agent account (`cannot_block_agent`) and a visitor already blocked
    /// (`already_blocked`); an expired block row is closed first. Returns the block and its end (nil: for good).
    private func block(
        _ session: SessionRecord, by actor: AgentID, reason: String, durationMinutes: Int?, on connection: PostgresConnection
    ) throws -> (BlockID, Date?) {
        if let visitorAsAgent = UUID(uuidString: session.visitorID) {
            if visitorAsAgent == actor.uuid {
                throw Refusal(.cannotBlockSelf, "the visitor of session \(session.id) is the one blocking")
            }
            if try agents.read(AgentID(visitorAsAgent), on: connection) != nil {
                throw Refusal(.cannotBlockAgent, "the visitor of session \(session.id) is an agent account")
            }
        }
        let id = BlockID.random()
        connection.queue(
            """
            UPDATE \(schema).blocked_visitors SET lifted_at = until
            WHERE channel = $1 AND visitor_id = $2 AND lifted_at IS NULL AND until <= now()
            """, [session.channel, session.visitorID])
        guard let row = try connection.query(
            """
            INSERT INTO \(schema).blocked_visitors (id, channel, visitor_id, reason, blocked_by, until, session_id)
            VALUES ($1, $2, $3, $4, $5, CASE WHEN $6::int IS NULL THEN NULL ELSE now() + make_interval(mins => $6::int) END, $7)
            ON CONFLICT (channel, visitor_id) WHERE lifted_at IS NULL DO NOTHING
            RETURNING until
            """,
            [id.uuid, session.channel, session.visitorID, reason, actor.uuid, durationMinutes, session.id.uuid]).first
        else { throw Refusal(.alreadyBlocked, "the visitor of session \(session.id) is already blocked") }
        return (id, try row.decode(at: 0))
    }

    /// `admin.lift_block`: ends a block in force now; the row keeps who lifted it and when.
    func adminLiftBlock(_ event: IncomingEvent, _ connection: PostgresConnection) throws {
        try run(event, on: connection) { publication in
            let command = try decode(AdminLiftBlock.self, event).data
            guard let row = try connection.query(
                """
                SELECT lifted_at IS NOT NULL OR until <= now() FROM \(schema).blocked_visitors WHERE id = $1 FOR UPDATE
                """, [command.blockID.uuid]).first
            else { throw Refusal(.unknownBlock, "no block \(command.blockID)") }
            guard !(try row.decode(Bool?.self, at: 0) ?? false) else {
                throw Refusal(.alreadyLifted, "block \(command.blockID) was already lifted or has expired")
            }
            connection.queue(
                "UPDATE \(schema).blocked_visitors SET lifted_at = now(), lifted_by = $2 WHERE id = $1",
                [command.blockID.uuid, command.actorID.uuid])
            try publication.reply(.success(.members([("block_id", .string(command.blockID.description))])))
        }
    }

    /// Refuses a visitor's message, transfer request or left message (留言) when a block is in force on them:
    /// nothing is stored or queued, `visitor.refused` carries the neutral prompt to connectors, and the asker gets `visitor_blocked`.
    /// Returns whether the visitor was refused. In a prepared batch the batch already knows.
    func refuseIfBlocked(
        channel: String, visitorID: String, clientMessageID: String?, into publication: inout Publication,
        on connection: PostgresConnection
    ) throws -> Bool {
        let blocked: Bool
        if let known = RoutingBatch.current(on: connection)?.isBlocked(channel: channel, visitorID: visitorID) {
            blocked = known
        } else {
            blocked = try connection.query(
                """
                SELECT EXISTS (SELECT 1 FROM \(schema).blocked_visitors
                               WHERE channel = $1 AND visitor_id = $2 AND lifted_at IS NULL AND (until IS NULL OR until > now()))
                """, [channel, visitorID]).first?.decode(Bool.self, at: 0) ?? false
        }
        guard blocked else { return false }
        try publication.event(VisitorRefused(
            channel: channel, visitorID: visitorID, clientMessageID: clientMessageID, reason: .blocked,
            prompt: ActiveSettings.refusedPrompt))
        try publication.reply(.failure(code: Refusal.Code.visitorBlocked.rawValue, message: ActiveSettings.refusedPrompt))
        logger.debug("refused", metadata: ["channel": "\(channel)", "code": "visitor_blocked"])
        return true
    }
}

import Foundation
import KefuModel
import Postgres
import ServiceRuntime

/// Visitor blocks (黑名单): `agent.block_visitor`, `admin.lift_block`, and the check that refuses a blocked
/// visitor's messages and transfer requests. The `blocked_visitors` rows are the audit: never deleted.
extension RoutingEngine {
    /// `agent.block_visitor`: only the agent serving the session; not the agent themself nor another agent's
    /// account. Records the block, ends the session as an agent end (`session.ended` reason `agent`) and
    /// answers with the block's id and end time.
    func agentBlockVisitor(_ event: IncomingEvent, _ connection: PostgresConnection) throws {
        try run(event, on: connection) { publication in
            let command = try decode(AgentBlockVisitor.self, event).data
            var session = try agentsSession(command.sessionID, agent: command.agentID, on: connection)
            if let visitorAsAgent = UUID(uuidString: session.visitorID) {
                if visitorAsAgent == command.agentID.uuid {
                    throw Refusal(.cannotBlockSelf, "the visitor of session \(session.id) is the agent themself")
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
                [id.uuid, session.channel, session.visitorID, command.reason, command.agentID.uuid, command.durationMinutes,
                 session.id.uuid]).first
            else { throw Refusal(.alreadyBlocked, "the visitor of session \(session.id) is already blocked") }
            let until: Date? = try row.decode(at: 0)
            let settings = try self.settings.current(on: connection)
            try end(&session, reason: .agent, settings: settings, into: &publication, on: connection)
            try publication.reply(.success(.members([
                ("block_id", .string(id.description)), ("session_id", .string(session.id.description)),
                ("until", .time(until) ?? .null),
            ])))
        }
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

import Foundation
import KefuModel
import Postgres
import ServiceRuntime

/// Handlers of the commands stream sent for agents (`agent.*`) and knowledge's `bot.answer`.
extension RoutingEngine {
    /// The locked session an agent acts on, refusing unknown sessions and sessions that are not theirs.
    func agentsSession(_ id: SessionID, agent: AgentID, on connection: PostgresConnection) throws -> SessionRecord {
        guard let session = try sessions.lock(id, on: connection) else {
            throw Refusal(.unknownSession, "no session \(id)")
        }
        guard session.state == .assigned else {
            throw Refusal(.sessionNotActive, "session \(id) is \(session.state.rawValue), not served by an agent")
        }
        guard session.agentID == agent else { throw Refusal(.notYourSession, "session \(id) is served by another agent") }
        return session
    }

    /// `agent.message`: only on the agent's own assigned session; deduplicated, masked, numbered.
    func agentMessage(_ event: IncomingEvent, _ connection: PostgresConnection) throws {
        try run(event, on: connection) { publication in
            let message = try decode(AgentMessage.self, event).data
            let key = RoutingBatch.MessageKey(
                sender: "agent", channel: "", owner: message.agentID.description, clientMessageID: message.clientMessageID)
            if let first = try acceptedBefore(key, on: connection) {
                try publication.reply(.success(first))
                return
            }
            var session = try agentsSession(message.sessionID, agent: message.agentID, on: connection)
            let settings = try self.settings.current(on: connection)
            let seq = try accept(
                settings.mask(message.content), from: .agent, agentID: message.agentID,
                clientMessageID: message.clientMessageID, session: &session, into: &publication, on: connection)
            recordAccepted(key, session: session.id, seq: seq, on: connection)
            try publication.reply(.success(.members([("session_id", .string(session.id.description)), ("seq", .int(seq))])))
        }
    }

    /// `agent.end_session`.
    func agentEndSession(_ event: IncomingEvent, _ connection: PostgresConnection) throws {
        try run(event, on: connection) { publication in
            let command = try decode(AgentEndSession.self, event).data
            var session = try agentsSession(command.sessionID, agent: command.agentID, on: connection)
            let settings = try self.settings.current(on: connection)
            try end(&session, reason: .agent, settings: settings, into: &publication, on: connection)
            try publication.reply(.success(.members([
                ("session_id", .string(session.id.description)), ("rating_invited", .bool(session.ratingInvited)),
            ])))
        }
    }

    /// `agent.transfer`: to another online, present agent with spare capacity; the receiver gets the session
    /// (and its whole history, served by store).
    func agentTransfer(_ event: IncomingEvent, _ connection: PostgresConnection) throws {
        try run(event, on: connection) { publication in
            let command = try decode(AgentTransfer.self, event).data
            if let group = command.toGroup {
                try transferToGroup(command, group: group, into: &publication, on: connection)
                return
            }
            guard let toAgentID = command.toAgentID else { throw Refusal(.invalidParams, "to_agent_id or to_group is required") }
            var session = try agentsSession(command.sessionID, agent: command.agentID, on: connection)
            try transfer(&session, from: command.agentID, to: toAgentID, note: command.note, into: &publication, on: connection)
            try publication.reply(.success(.members([
                ("session_id", .string(session.id.description)), ("to_agent_id", .string(toAgentID.description)),
            ])))
        }
    }

    /// Moves an assigned `session` from `from` to `to`, who must be online, present and below capacity; the
    /// receiver gets the session (and its whole history, served by store). Used by `agent.transfer` and
    /// `supervisor.transfer`.
    func transfer(
        _ session: inout SessionRecord, from: AgentID, to: AgentID, note: String?,
        into publication: inout Publication, on connection: PostgresConnection
    ) throws {
        // Both agent rows, in id order so two crossing transfers cannot deadlock.
        let ids = [from, to].sorted { $0.description < $1.description }
        var locked: [AgentID: AgentRecord] = [:]
        for id in ids { locked[id] = try agents.lock(id, on: connection) }
        guard let target = locked[to], target.enabled else {
            throw Refusal(.unknownAgent, "no agent \(to)")
        }
        guard target.status == .online, target.present else {
            throw Refusal(.agentUnavailable, "agent \(target.name) is not online")
        }
        guard target.load < target.capacity else {
            throw Refusal(.agentFull, "agent \(target.name) already serves \(target.load) of \(target.capacity)")
        }
        try release(session, from: from, into: &publication, on: connection)
        guard let receiver = try agents.changeLoad(to, by: 1, on: connection) else {
            throw Refusal(.unknownAgent, "no agent \(to)")
        }
        try publication.event(receiver.updated)
        connection.queue(
            "INSERT INTO \(schema).session_agents (session_id, agent_id, assigned_at, via) VALUES ($1, $2, clock_timestamp(), 'transfer')",
            [session.id.uuid, to.uuid])
        let candidates = String(decoding: try JSONEncoder().encode([AuditCandidate(target)]), as: UTF8.self)
        connection.queue(
            "INSERT INTO \(schema).assignment_audit (session_id, agent_id, rule, candidates) VALUES ($1, $2, 'transfer', $3::jsonb)",
            [session.id.uuid, to.uuid, candidates])
        session.agentID = to
        let seq = session.nextSeq()
        connection.queue(
            "UPDATE \(schema).sessions SET agent_id = $2, assigned_at = now(), reply_wait_since = now(), last_seq = $3 WHERE id = $1",
            [session.id.uuid, to.uuid, session.lastSeq])
        try publication.event(SessionTransferred(
            sessionID: session.id, seq: seq, channel: session.channel, visitorID: session.visitorID,
            fromAgentID: from, toAgentID: to, toAgentName: target.name,
            note: note.flatMap { $0.isEmpty ? nil : $0 }))
    }

    /// `agent.transfer` with `to_group`: the session leaves the agent and joins the group's queue (the
    /// visitor's priority, a new enqueue time) with a system message; the assigner picks a member.
    private func transferToGroup(
        _ command: AgentTransfer, group: String, into publication: inout Publication, on connection: PostgresConnection
    ) throws {
        let settings = try self.settings.current(on: connection)
        guard !group.isEmpty, settings.document.groups[group] != nil else {
            throw Refusal(.unknownGroup, group.isEmpty ? "the group is empty" : "there is no skill group \"\(group)\"")
        }
        var session = try agentsSession(command.sessionID, agent: command.agentID, on: connection)
        try release(session, from: command.agentID, into: &publication, on: connection)
        try systemMessage(ActiveSettings.transferToGroupPrompt, session: &session, into: &publication, on: connection)
        session.groupID = group
        try enqueue(&session, reason: .transfer, priority: settings.queuePriority(for: session), into: &publication, on: connection)
        try publication.reply(.success(.members([
            ("session_id", .string(session.id.description)), ("to_group", .string(group)),
        ])))
    }

    /// `agent.set_status`: online drains the queue; offline sends the agent's sessions back to the front.
    func agentSetStatus(_ event: IncomingEvent, _ connection: PostgresConnection) throws {
        try run(event, on: connection) { publication in
            let command = try decode(AgentSetStatus.self, event).data
            guard let before = try agents.lock(command.agentID, on: connection) else {
                throw Refusal(.unknownAgent, "no agent \(command.agentID)")
            }
            if command.status == .online, !before.enabled {
                throw Refusal(.forbidden, "agent \(before.name) is disabled")
            }
            let presence = command.status == .online ? tuning.onlinePresenceSeconds : 0
            let updated = try connection.query(
                """
                UPDATE \(schema).agents SET status = $2, updated_at = now(),
                    present_until = CASE WHEN $3 > 0 THEN greatest(coalesce(present_until, now()), now() + make_interval(secs => $3))
                                         WHEN $2 = 'offline' THEN NULL ELSE present_until END,
                    absent_since = CASE WHEN $3 > 0 THEN NULL ELSE absent_since END,
                    idle_since = CASE WHEN status = 'offline' AND $2 <> 'offline' THEN now() ELSE idle_since END
                WHERE id = $1 RETURNING \(AgentRecord.columns)
                """, [command.agentID.uuid, command.status.rawValue, presence])
            guard let row = updated.first else { throw Refusal(.unknownAgent, "no agent \(command.agentID)") }
            var agent = try AgentRecord(row: row)
            if command.status == .offline, agent.load > 0 {
                try requeueSessions(of: agent.id, into: &publication, on: connection)
                agent = try agents.read(agent.id, on: connection) ?? agent
            }
            try publication.event(agent.updated)
            if command.status == .online { requestDrain() }
            try publication.reply(.success(agentJSON(agent)))
        }
    }

    /// Sends the sessions of `agentID` back to the front of the queue (the agent logged out). The agent row is
    /// already locked, so sessions are taken with `SKIP LOCKED` (never waiting against the lock order); one
    /// held by a handler right now is re-queued by the ticker, which also re-queues for offline agents.
    func requeueSessions(of agentID: AgentID, into publication: inout Publication, on connection: PostgresConnection) throws {
        let settings = try self.settings.current(on: connection)
        let ids = try connection.query(
            """
            SELECT id FROM \(schema).sessions WHERE agent_id = $1 AND state = 'assigned'
            ORDER BY assigned_at, id FOR UPDATE SKIP LOCKED
            """, [agentID.uuid]).map { SessionID(try $0.decode(UUID.self, at: 0)) }
        for id in ids {
            guard var session = try sessions.read(id, on: connection), session.agentID == agentID else { continue }
            try requeueAtFront(&session, settings: settings, into: &publication, on: connection)
        }
    }

    /// `agent.heartbeat`: presence for `ttl_seconds` (none for a disabled account); presence coming back drains the queue.
    func agentHeartbeat(_ event: IncomingEvent, _ connection: PostgresConnection) throws {
        try run(event, on: connection) { publication in
            let beat = try decode(AgentHeartbeat.self, event).data
            let rows = try connection.query(
                """
                UPDATE \(schema).agents a SET present_until = now() + make_interval(secs => $2), absent_since = NULL
                FROM (SELECT id, coalesce(present_until > now(), false) AS was_present FROM \(schema).agents WHERE id = $1 FOR UPDATE) b
                WHERE a.id = b.id AND a.enabled RETURNING b.was_present
                """, [beat.agentID.uuid, beat.ttlSeconds])
            guard let row = rows.first else {
                // A disabled account gets no presence from a heartbeat that was already on its way.
                guard try agents.read(beat.agentID, on: connection) != nil else { throw Refusal(.unknownAgent, "no agent \(beat.agentID)") }
                return try publication.reply(.success())
            }
            if !(try row.decode(Bool.self, at: 0)), let agent = try agents.read(beat.agentID, on: connection) {
                try publication.event(agent.updated)
                requestDrain()
            }
            try publication.reply(.success())
        }
    }

    /// `agent.handle_leave_message`: claim an unclaimed entry, or close one the agent claimed.
    func agentHandleLeaveMessage(_ event: IncomingEvent, _ connection: PostgresConnection) throws {
        try run(event, on: connection) { publication in
            let command = try decode(AgentHandleLeaveMessage.self, event).data
            guard let row = try connection.query(
                "SELECT channel, visitor_id, session_id, state, agent_id FROM \(schema).leave_messages WHERE id = $1 FOR UPDATE",
                [command.leaveMessageID.uuid]).first
            else { throw Refusal(.unknownLeaveMessage, "no leave-a-message entry \(command.leaveMessageID)") }
            let channel: String = try row.decode(at: 0)
            let visitorID: String = try row.decode(at: 1)
            let sessionID = (try row.decode(UUID?.self, at: 2)).map(SessionID.init)
            let state = LeaveMessageState(rawValue: try row.decode(String.self, at: 3))
            let holder = (try row.decode(UUID?.self, at: 4)).map(AgentID.init)
            guard try agents.read(command.agentID, on: connection) != nil else {
                throw Refusal(.unknownAgent, "no agent \(command.agentID)")
            }
            let next: LeaveMessageState
            switch command.action {
            case .claim:
                guard state == .unclaimed else {
                    throw Refusal(.alreadyClaimed, "entry \(command.leaveMessageID) is already \(state?.rawValue ?? "handled")")
                }
                next = .claimed
            case .close:
                guard state == .claimed || state == .unclaimed else {
                    throw Refusal(.sessionNotActive, "entry \(command.leaveMessageID) is already closed")
                }
                if state == .claimed, holder != command.agentID {
                    throw Refusal(.alreadyClaimed, "entry \(command.leaveMessageID) is claimed by another agent")
                }
                next = .closed
            }
            connection.queue(
                "UPDATE \(schema).leave_messages SET state = $2, agent_id = $3, note = coalesce($4, note), updated_at = now() WHERE id = $1",
                [command.leaveMessageID.uuid, next.rawValue, command.agentID.uuid, command.note])
            try publication.event(LeaveMessageUpdated(
                leaveMessageID: command.leaveMessageID, channel: channel, visitorID: visitorID, sessionID: sessionID,
                state: next, agentID: command.agentID))
            try publication.reply(.success(.members([("state", .string(next.rawValue))])))
        }
    }

    /// `bot.answer`: the bot's answer (or miss) for the question still pending on a bot session; stale answers
    /// (the session moved on, or a later question is pending) are dropped.
    func botAnswer(_ event: IncomingEvent, _ connection: PostgresConnection) throws {
        try run(event, on: connection) { publication in
            let answer = try decode(BotAnswer.self, event).data
            guard var session = try sessions.lock(answer.sessionID, on: connection),
                  session.state == .bot, session.pendingQuestionSeq == answer.questionSeq
            else { return }
            let settings = try self.settings.current(on: connection)
            if answer.answered, let text = answer.text {
                session.unanswered = 0
                session.pendingQuestionSeq = nil
                connection.queue(
                    "UPDATE \(schema).sessions SET unanswered = 0, pending_question_seq = NULL, pending_question_at = NULL WHERE id = $1",
                    [session.id.uuid])
                let seq = try accept(
                    .text(settings.mask(text)), from: .bot, entryID: answer.entryID, session: &session, into: &publication,
                    on: connection)
                if let entryID = answer.entryID {
                    recordBotAnswer(session: session.id, seq: seq, questionSeq: answer.questionSeq, entryID: entryID, on: connection)
                }
            } else if let suggestions = answer.suggestions, !suggestions.isEmpty {
                try botSuggested(suggestions, &session, settings: settings, into: &publication, on: connection)
            } else {
                try botMissed(&session, settings: settings, into: &publication, on: connection)
            }
        }
    }
}

/// One candidate in an assignment audit row.
struct AuditCandidate: Codable, Sendable {
    var agentID: String
    var load: Int
    var capacity: Int
    var idleSince: String

    init(_ agent: AgentRecord) {
        agentID = agent.id.description
        load = agent.load
        capacity = agent.capacity
        idleSince = Timestamp(agent.idleSince).rfc3339
    }

    init(agentID: String, load: Int, capacity: Int, idleSince: Date) {
        self.agentID = agentID
        self.load = load
        self.capacity = capacity
        self.idleSince = Timestamp(idleSince).rfc3339
    }

    enum CodingKeys: String, CodingKey {
        case load, capacity
        case agentID = "agent_id"
        case idleSince = "idle_since"
    }
}

/// An agent as queries and replies show it.
func agentJSON(_ agent: AgentRecord) -> JSONValue {
    .members([
        ("agent_id", .string(agent.id.description)), ("name", .string(agent.name)),
        ("status", .string(agent.status.rawValue)), ("present", .bool(agent.present)),
        ("capacity", .int(agent.capacity)), ("load", .int(agent.load)),
        ("groups", .array(agent.groups.map(JSONValue.string))),
    ])
}

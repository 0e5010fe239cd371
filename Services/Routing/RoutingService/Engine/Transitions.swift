import Foundation
import KefuModel
import Postgres

/// The session state machine. Every function takes a session locked by the caller, numbers each event it
/// publishes with the session's next `seq`, and writes the new state (and `last_seq`) before returning.
///
/// `bot` → `queued` → `assigned` → `ended`; `bot` → `ended`; `queued` → `left` or `ended`;
/// `assigned` → `assigned` (transfer) or `queued` (the agent vanished: back to the front).
extension RoutingEngine {
    var sessions: SessionStore { SessionStore(schema: schema) }
    var agents: AgentStore { AgentStore(schema: schema) }

    /// Publishes `session.created` (seq 1, taken when the row was inserted) for a session just inserted.
    func announceCreated(
        _ session: inout SessionRecord, attributes: [String: String]?, into publication: inout Publication,
        on connection: PostgresConnection
    ) throws {
        try publication.event(SessionCreated(
            sessionID: session.id, seq: 1, channel: session.channel, visitorID: session.visitorID,
            attributes: attributes?.isEmpty == false ? attributes : nil))
    }

    /// Appends a message to the transcript (`message.accepted`), already masked by the caller.
    @discardableResult
    func accept(
        _ content: MessageContent, from sender: SenderKind, agentID: AgentID? = nil, clientMessageID: String? = nil,
        suggestions: [BotSuggestion]? = nil, entryID: KnowledgeEntryID? = nil, groupChoices: [GroupChoice]? = nil,
        session: inout SessionRecord, into publication: inout Publication, on connection: PostgresConnection
    ) throws -> Int {
        let seq = session.nextSeq()
        try publication.event(MessageAccepted(
            sessionID: session.id, seq: seq, channel: session.channel, visitorID: session.visitorID, sender: sender,
            agentID: agentID, clientMessageID: clientMessageID, content: content, suggestions: suggestions,
            entryID: entryID, groupChoices: groupChoices))
        let activity = sender == .visitor || sender == .agent
        if RoutingBatch.current(on: connection) != nil {
            PendingSessionTouches.on(connection, schema: schema).touch(session.id, seq: session.lastSeq, activity: activity, sender: sender)
            return seq
        }
        // The visitor of an assigned session waits for the agent's reply from their first unanswered message.
        connection.queue(
            """
            UPDATE \(schema).sessions SET last_seq = $2,
                last_activity_at = CASE WHEN $3 THEN now() ELSE last_activity_at END,
                idle_warned_at = CASE WHEN $3 THEN NULL ELSE idle_warned_at END,
                reply_wait_since = CASE WHEN $4 = 'agent' THEN NULL
                                        WHEN $4 = 'visitor' AND state = 'assigned' THEN coalesce(reply_wait_since, now())
                                        ELSE reply_wait_since END
            WHERE id = $1
            """, [session.id.uuid, session.lastSeq, activity, sender.rawValue])
        return seq
    }

    /// A system message to the visitor.
    func systemMessage(
        _ text: String, session: inout SessionRecord, into publication: inout Publication, on connection: PostgresConnection
    ) throws {
        try accept(.text(text), from: .system, session: &session, into: &publication, on: connection)
    }

    /// Puts a session in the queue of its group (`session.groupID`, nil: the default queue) with
    /// `session.queued`, and asks for a drain.
    func enqueue(
        _ session: inout SessionRecord, reason: QueueReason, priority: Int,
        into publication: inout Publication, on connection: PostgresConnection
    ) throws {
        session.state = .queued
        session.agentID = nil
        session.priority = priority
        session.pendingQuestionSeq = nil
        session.awaitingGroup = false
        let seq = session.nextSeq()
        try publication.event(SessionQueued(
            sessionID: session.id, seq: seq, channel: session.channel, visitorID: session.visitorID, reason: reason,
            priority: priority, group: session.groupID))
        connection.queue(
            """
            UPDATE \(schema).sessions SET state = 'queued', agent_id = NULL, priority = $2, enqueued_at = clock_timestamp(),
                enqueue_stamped = false, group_id = $5, group_entered_at = clock_timestamp(), awaiting_group = false,
                queue_reason = $3, last_seq = $4, pending_question_seq = NULL, pending_question_at = NULL,
                published_position = NULL, published_ahead = NULL, published_eta = NULL, assigned_at = NULL
            WHERE id = $1
            """, [session.id.uuid, priority, reason.rawValue, session.lastSeq, session.groupID])
        requestDrain()
    }

    /// Ends a session: `left` when it ends from the queue, `ended` otherwise. Releases the agent's slot,
    /// records the handle time, invites a rating for human sessions when rating is on, and asks for a drain.
    /// `endedBy`: who ended a session no agent served (an admin's block), named as `agent_id` of reason `agent`.
    func end(
        _ session: inout SessionRecord, reason: SessionEndReason, endedBy: AgentID? = nil, settings: ActiveSettings,
        into publication: inout Publication, on connection: PostgresConnection
    ) throws {
        let fromQueue = session.state == .queued
        let agentID = session.agentID
        if session.human { try recordHandleTime(session, agentID: agentID ?? lastAgent(of: session, on: connection), on: connection) }
        if let agentID, session.state == .assigned {
            try release(session, from: agentID, into: &publication, on: connection)
            noteSummaryOwner(session, agentID: agentID, settings: settings, on: connection)
            session.summaryAgentID = agentID
            session.summaryDue = settings.document.summaryRequired
        }
        session.state = fromQueue ? .left : .ended
        session.agentID = nil
        session.pendingQuestionSeq = nil
        session.ratingInvited = session.human && settings.document.ratingEnabled
        let seq = session.nextSeq()
        try publication.event(SessionEnded(
            sessionID: session.id, seq: seq, channel: session.channel, visitorID: session.visitorID, reason: reason,
            agentID: agentID ?? lastAgent(of: session, on: connection) ?? endedBy, human: session.human,
            ratingInvited: session.ratingInvited))
        connection.queue(
            """
            UPDATE \(schema).sessions SET state = $2, agent_id = NULL, ended_at = now(), end_reason = $3, last_seq = $4,
                rating_invited = $5, pending_question_seq = NULL, pending_question_at = NULL
            WHERE id = $1
            """, [session.id.uuid, session.state.rawValue, reason.rawValue, session.lastSeq, session.ratingInvited])
        if fromQueue { requestDrain() }
    }

    /// Frees the agent's slot for a session leaving them (end, transfer out, agent gone): closes the history
    /// row, records the handle time when the session ends, publishes `agent.updated` and asks for a drain.
    func release(
        _ session: SessionRecord, from agentID: AgentID, into publication: inout Publication,
        on connection: PostgresConnection
    ) throws {
        connection.queue(
            "UPDATE \(schema).session_agents SET released_at = clock_timestamp() WHERE session_id = $1 AND agent_id = $2 AND released_at IS NULL",
            [session.id.uuid, agentID.uuid])
        if let agent = try agents.changeLoad(agentID, by: -1, on: connection) {
            try publication.event(agent.updated)
        }
        requestDrain()
    }

    /// Records how long a finished human session was served (first assignment to end), for the ETA.
    func recordHandleTime(_ session: SessionRecord, agentID: AgentID?, on connection: PostgresConnection) throws {
        connection.queue(
            """
            INSERT INTO \(schema).handle_times (session_id, agent_id, seconds)
            SELECT id, $2, greatest(0, extract(epoch FROM now() - coalesce(first_assigned_at, now())))
            FROM \(schema).sessions WHERE id = $1
            ON CONFLICT (session_id) DO NOTHING
            """, [session.id.uuid, agentID?.uuid])
    }

    /// The agent who served the session last, for `session.ended` of a session no longer assigned.
    func lastAgent(of session: SessionRecord, on connection: PostgresConnection) throws -> AgentID? {
        guard session.human else { return nil }
        return try connection.query(
            "SELECT agent_id FROM \(schema).session_agents WHERE session_id = $1 ORDER BY assigned_at DESC LIMIT 1",
            [session.id.uuid]
        ).first.map { AgentID(try $0.decode(UUID.self, at: 0)) }
    }

    /// Sends an assigned session back to the front of the queue because its agent vanished or logged out.
    func requeueAtFront(
        _ session: inout SessionRecord, settings: ActiveSettings, into publication: inout Publication,
        on connection: PostgresConnection
    ) throws {
        guard session.state == .assigned, let agentID = session.agentID else { return }
        try release(session, from: agentID, into: &publication, on: connection)
        try systemMessage(ActiveSettings.agentGonePrompt, session: &session, into: &publication, on: connection)
        try enqueue(&session, reason: .agentGone, priority: 0, into: &publication, on: connection)
    }
}

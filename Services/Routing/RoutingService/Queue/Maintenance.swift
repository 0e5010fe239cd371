import Foundation
import KefuModel
import Postgres
import ServiceRuntime

/// Time-driven transitions, run by the ticker: presence expiry and re-routing, queue timeout, idle warning
/// and timeout, unanswered bot questions. Each pass handles at most `limit` rows in one transaction and
/// skips rows a handler holds (they are seen on the next tick).
extension RoutingEngine {
    /// Runs every time-driven pass once; returns how many rows they changed.
    @discardableResult
    public func maintain(using postgres: PostgresClient, limit: Int = 200) async throws -> Int {
        var changed = 0
        changed += try await transaction(postgres) { try self.expirePresence(on: $0) }
        changed += try await transaction(postgres) { try self.rerouteAbsentAgents(on: $0, limit: limit) }
        changed += try await transaction(postgres) { try self.timeOutQueue(on: $0, limit: limit) }
        changed += try await transaction(postgres) { try self.overflowGroups(on: $0, limit: limit) }
        changed += try await transaction(postgres) { try self.handleIdle(on: $0, limit: limit) }
        changed += try await transaction(postgres) { try self.timeOutBotQuestions(on: $0, limit: limit) }
        return changed
    }

    /// Marks agents whose heartbeat lapsed as absent (`agent.updated` with `present: false`).
    func expirePresence(on connection: PostgresConnection) throws -> Int {
        let rows = try connection.query(
            """
            UPDATE \(schema).agents SET absent_since = now(), updated_at = now()
            WHERE id IN (SELECT id FROM \(schema).agents WHERE absent_since IS NULL AND status <> 'offline'
                         AND coalesce(present_until, '-infinity') <= now() FOR UPDATE SKIP LOCKED)
            RETURNING \(AgentRecord.columns)
            """)
        var publication = publication(cause: nil)
        for row in rows { try publication.event(try AgentRecord(row: row).updated) }
        try publication.flush(to: outbox, on: connection)
        return rows.count
    }

    /// Agents absent for longer than the grace period, and agents logged out whose sessions could not all be
    /// moved at once, lose their sessions to the front of the queue.
    func rerouteAbsentAgents(on connection: PostgresConnection, limit: Int) throws -> Int {
        let settings = try self.settings.current(on: connection)
        let agentIDs = try connection.query(
            """
            SELECT id FROM \(schema).agents
            WHERE (absent_since < now() - make_interval(secs => $1) OR status = 'offline') AND load > 0
            ORDER BY absent_since LIMIT $2 FOR UPDATE SKIP LOCKED
            """, [settings.document.session.presenceGraceSeconds, limit]).map { AgentID(try $0.decode(UUID.self, at: 0)) }
        var publication = publication(cause: nil)
        var moved = 0
        for agentID in agentIDs {
            let ids = try connection.query(
                """
                SELECT id FROM \(schema).sessions WHERE agent_id = $1 AND state = 'assigned'
                ORDER BY assigned_at, id FOR UPDATE SKIP LOCKED
                """, [agentID.uuid]).map { SessionID(try $0.decode(UUID.self, at: 0)) }
            for id in ids {
                guard var session = try sessions.read(id, on: connection) else { continue }
                try requeueAtFront(&session, settings: settings, into: &publication, on: connection)
                moved += 1
            }
        }
        try publication.flush(to: outbox, on: connection)
        return moved
    }

    /// Queued longer than the queue timeout: tell the visitor, offer leave-a-message, end (`left`).
    func timeOutQueue(on connection: PostgresConnection, limit: Int) throws -> Int {
        let settings = try self.settings.current(on: connection)
        let timeout = settings.document.queue.timeoutSeconds
        guard timeout > 0 else { return 0 }
        let ids = try lockedSessionIDs(
            "state = 'queued' AND enqueued_at < now() - make_interval(secs => $1)", [timeout], limit: limit, on: connection)
        var publication = publication(cause: nil)
        for id in ids {
            guard var session = try sessions.read(id, on: connection) else { continue }
            try systemMessage(settings.document.noServicePrompt(for: .queueTimeout), session: &session, into: &publication, on: connection)
            try systemMessage(ActiveSettings.leaveMessageHint, session: &session, into: &publication, on: connection)
            try end(&session, reason: .queueTimeout, settings: settings, into: &publication, on: connection)
        }
        try publication.flush(to: outbox, on: connection)
        return ids.count
    }

    /// Visitors who waited a group's `overflow.after_seconds` in its queue move to the overflow group (one
    /// set-based update; their enqueue time, hence their place among earlier visitors, is kept, and the overflow
    /// clock restarts) with `session.queued` (`overflow`), or, for `leave_message`, are told so and offered
    /// leave-a-message, ending as a queue timeout.
    func overflowGroups(on connection: PostgresConnection, limit: Int) throws -> Int {
        let due = try connection.query(
            """
            SELECT s.id, g.overflow_to FROM \(schema).sessions s JOIN \(schema).groups g ON g.id = s.group_id
            WHERE s.state = 'queued' AND g.overflow_after_seconds IS NOT NULL
              AND s.group_entered_at < now() - make_interval(secs => g.overflow_after_seconds)
            ORDER BY s.id LIMIT $1 FOR UPDATE OF s SKIP LOCKED
            """, [limit])
        guard !due.isEmpty else { return 0 }
        var moves: [(UUID, String)] = []
        var leaving: [SessionID] = []
        for row in due {
            let id: UUID = try row.decode(at: 0)
            if let target: String = try row.decode(at: 1) { moves.append((id, target)) } else { leaving.append(SessionID(id)) }
        }
        var publication = publication(cause: nil)
        if !moves.isEmpty {
            let moved = try connection.query(
                """
                UPDATE \(schema).sessions s SET group_id = v.target, group_entered_at = clock_timestamp(), last_seq = s.last_seq + 1,
                    queue_reason = 'overflow', published_position = NULL, published_ahead = NULL, published_eta = NULL
                FROM unnest($1::uuid[], $2::text[]) AS v(id, target)
                WHERE s.id = v.id
                RETURNING s.id, s.last_seq, s.channel, s.visitor_id, s.priority, s.group_id
                """, [Self.uuidArray(moves.map(\.0)), PostgresArray.literal(moves.map(\.1))])
            for row in moved {
                try publication.event(SessionQueued(
                    sessionID: SessionID(try row.decode(UUID.self, at: 0)), seq: try row.decode(at: 1), channel: try row.decode(at: 2),
                    visitorID: try row.decode(at: 3), reason: .overflow, priority: try row.decode(at: 4), group: try row.decode(at: 5)))
            }
            requestDrain()
        }
        if !leaving.isEmpty {
            let settings = try self.settings.current(on: connection)
            for id in leaving {
                guard var session = try sessions.read(id, on: connection) else { continue }
                try systemMessage(settings.document.noServicePrompt(for: .queueTimeout), session: &session, into: &publication, on: connection)
                try systemMessage(ActiveSettings.leaveMessageHint, session: &session, into: &publication, on: connection)
                try end(&session, reason: .queueTimeout, settings: settings, into: &publication, on: connection)
            }
        }
        try publication.flush(to: outbox, on: connection)
        return due.count
    }

    /// Human sessions without a message for a while: a warning once, then the end (`idle_timeout`).
    func handleIdle(on connection: PostgresConnection, limit: Int) throws -> Int {
        let settings = try self.settings.current(on: connection)
        let timeout = settings.document.session.idleTimeoutSeconds
        guard timeout > 0 else { return 0 }
        let warnAfter = max(0, timeout - settings.document.session.idleWarningSeconds)
        var publication = publication(cause: nil)
        let ending = try lockedSessionIDs(
            "state = 'assigned' AND last_activity_at < now() - make_interval(secs => $1)", [timeout], limit: limit, on: connection)
        for id in ending {
            guard var session = try sessions.read(id, on: connection) else { continue }
            try end(&session, reason: .idleTimeout, settings: settings, into: &publication, on: connection)
        }
        var warned: [SessionID] = []
        if settings.document.session.idleWarningSeconds > 0 {
            warned = try lockedSessionIDs(
                "state = 'assigned' AND idle_warned_at IS NULL AND last_activity_at < now() - make_interval(secs => $1)",
                [warnAfter], limit: limit, on: connection)
            for id in warned {
                guard var session = try sessions.read(id, on: connection) else { continue }
                try systemMessage(settings.idleWarningPrompt, session: &session, into: &publication, on: connection)
                connection.queue("UPDATE \(schema).sessions SET idle_warned_at = now() WHERE id = $1", [id.uuid])
            }
        }
        try publication.flush(to: outbox, on: connection)
        return ending.count + warned.count
    }

    /// Bot questions without an answer in time count as unanswered.
    func timeOutBotQuestions(on connection: PostgresConnection, limit: Int) throws -> Int {
        let settings = try self.settings.current(on: connection)
        let ids = try lockedSessionIDs(
            "state = 'bot' AND pending_question_at < now() - make_interval(secs => $1)",
            [tuning.botAnswerTimeoutSeconds], limit: limit, on: connection)
        var publication = publication(cause: nil)
        for id in ids {
            guard var session = try sessions.read(id, on: connection) else { continue }
            try botMissed(&session, settings: settings, into: &publication, on: connection)
        }
        try publication.flush(to: outbox, on: connection)
        return ids.count
    }

    /// Locks (skipping locked ones) and returns up to `limit` sessions matching `condition`.
    private func lockedSessionIDs(
        _ condition: String, _ parameters: [any PostgresEncodable], limit: Int, on connection: PostgresConnection
    ) throws -> [SessionID] {
        try connection.query(
            "SELECT id FROM \(schema).sessions WHERE \(condition) ORDER BY id LIMIT \(limit) FOR UPDATE SKIP LOCKED",
            parameters
        ).map { SessionID(try $0.decode(UUID.self, at: 0)) }
    }
}

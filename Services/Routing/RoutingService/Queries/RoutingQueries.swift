import Foundation
import KefuModel
import Postgres
import ServiceRuntime

/// Answers `query.request` entries on `requests:routing` (see `docs/queries.md`), checking the actor itself:
/// a visitor sees only their own sessions, an agent only sessions they serve or served, admins everything.
extension RoutingEngine {
    func query(_ event: IncomingEvent, _ connection: PostgresConnection) throws {
        if let expires = event.header.expiresAt, expires < Timestamp.now() { return }
        try run(event, on: connection) { publication in
            let request = try decode(QueryRequest.self, event).data
            let params = request.params.objectValue ?? [:]
            let result = try answer(request.name, actor: request.actor, params: params, on: connection)
            try publication.reply(.success(result))
        }
    }

    func answer(_ name: String, actor: Actor, params: [String: JSONValue], on connection: PostgresConnection) throws -> JSONValue {
        switch name {
        case "settings.get": return try settingsGet(actor: actor, on: connection)
        case "settings.audit": return try settingsAudit(actor: actor, params: params, on: connection)
        case "channel.config": return try channelConfig(params: params, on: connection)
        case "files.policy": return try filesPolicy(on: connection)
        case "agents.list": return try agentsList(actor: actor, params: params, on: connection)
        case "agent.me": return try agentMe(actor: actor, on: connection)
        case "sessions.mine": return try sessionsMine(actor: actor, on: connection)
        case "session.get": return try sessionGet(actor: actor, params: params, on: connection)
        case "visitor.current": return try visitorCurrent(actor: actor, on: connection)
        case "queue.summary": return try queueSummary(actor: actor, on: connection)
        case "queue.groups": return try queueGroups(actor: actor, on: connection)
        case "leave_messages.list": return try leaveMessagesList(actor: actor, params: params, on: connection)
        case "assignments.audit": return try assignmentsAudit(actor: actor, params: params, on: connection)
        case "blocks.list": return try blocksList(actor: actor, params: params, on: connection)
        case "monitor.summary": return try monitorSummary(actor: actor, on: connection)
        case "monitor.agents": return try monitorAgents(actor: actor, params: params, on: connection)
        case "monitor.queue": return try monitorQueue(actor: actor, params: params, on: connection)
        case "summary_categories.list": return try summaryCategoriesList(actor: actor, on: connection)
        case "summaries.pending": return try summariesPending(actor: actor, on: connection)
        default: throw Refusal(.unknownQuery, "routing has no query named \(name)")
        }
    }

    // MARK: actors

    private func requireAdmin(_ actor: Actor) throws {
        guard actor.role == .admin else { throw Refusal(.forbidden, "only an admin may do this") }
    }

    private func requireStaff(_ actor: Actor) throws -> AgentID {
        guard actor.role == .agent || actor.role == .admin, let id = actor.agentID else {
            throw Refusal(.forbidden, "only agents and admins may do this")
        }
        return id
    }

    // MARK: params

    static func limit(_ params: [String: JSONValue]) throws -> Int {
        guard let value = params["limit"] else { return 50 }
        guard let limit = value.intValue, (1...200).contains(limit) else {
            throw Refusal(.invalidParams, "limit must be an integer from 1 to 200")
        }
        return limit
    }

    static func uuidParam(_ params: [String: JSONValue], _ key: String) throws -> UUID? {
        guard let value = params[key] else { return nil }
        guard let text = value.stringValue, let uuid = UUID(uuidString: text) else {
            throw Refusal(.invalidParams, "\(key) must be a UUID")
        }
        return uuid
    }

    /// Cursors are the last item's sort key, as an opaque string.
    static func cursor(_ params: [String: JSONValue]) throws -> Int64? {
        guard let value = params["cursor"] else { return nil }
        guard let text = value.stringValue, let number = Int64(text) else {
            throw Refusal(.invalidParams, "cursor is not one this service returned")
        }
        return number
    }

    // MARK: queries

    private func settingsGet(actor: Actor, on connection: PostgresConnection) throws -> JSONValue {
        try requireAdmin(actor)
        let current = try settings.current(on: connection)
        let row = try connection.query(
            "SELECT updated_at, updated_by::text FROM \(schema).settings WHERE version = $1", [current.version]).first
        return .members([
            ("version", .int(current.version)), ("settings", try JSONValue(encoding: current.document)),
            ("updated_at", .time(try row?.decode(Date.self, at: 0))),
            ("updated_by", (try row?.decode(String.self, at: 1)).map(JSONValue.string)),
        ])
    }

    private func settingsAudit(actor: Actor, params: [String: JSONValue], on connection: PostgresConnection) throws -> JSONValue {
        try requireAdmin(actor)
        let limit = try Self.limit(params)
        let before = try Self.cursor(params) ?? Int64(Int32.max)
        let rows = try connection.query(
            """
            SELECT version, actor_id::text, at, array_to_json(changed)::text FROM \(schema).settings_audit
            WHERE version < $1 ORDER BY version DESC LIMIT $2
            """, [before, limit + 1])
        let items = try rows.prefix(limit).map { row -> JSONValue in
            let changed = try JSONDecoder().decode([String].self, from: Data(try row.decode(String.self, at: 3).utf8))
            return .members([
                ("version", .int(try row.decode(Int.self, at: 0))), ("actor_id", .string(try row.decode(String.self, at: 1))),
                ("at", .time(try row.decode(Date.self, at: 2))), ("changed", .array(changed.map(JSONValue.string))),
            ])
        }
        let next = rows.count > limit ? try rows[limit - 1].decode(Int.self, at: 0) : nil
        return .members([("items", .array(items)), ("next_cursor", next.map { .string(String($0)) })])
    }

    private func channelConfig(params: [String: JSONValue], on connection: PostgresConnection) throws -> JSONValue {
        guard let channel = params["channel"]?.stringValue, (try? FieldRules.channel(channel)) != nil else {
            throw Refusal(.invalidParams, "channel must be a channel name")
        }
        let current = try settings.current(on: connection)
        let config = current.document.channel(channel)
        return .members([
            ("human_enabled", .bool(current.document.humanServiceEnabled && config.humanEnabled)),
            ("transfer_button", .bool(config.transferButton)), ("end_button", .bool(config.endButton)),
            ("rating_enabled", .bool(current.document.ratingEnabled)),
            ("open_now", .bool(current.humanOffered(channel: channel, at: Date()))),
            ("files", Self.filesJSON(current.document.files)),
        ])
    }

    /// `files.policy`: the file size limit and allowed types in force, for any actor (the gateway checks
    /// every upload against it).
    private func filesPolicy(on connection: PostgresConnection) throws -> JSONValue {
        Self.filesJSON(try settings.current(on: connection).document.files)
    }

    private static func filesJSON(_ files: RoutingFileSettings) -> JSONValue {
        .members([
            ("max_bytes", .int(files.maxBytes)),
            ("allowed_types", .array(files.allowed.map { .string($0.key) })),
            ("allowed_mime_types", .array(files.allowed.map { .string($0.rawValue) })),
        ])
    }

    private func agentsList(actor: Actor, params: [String: JSONValue], on connection: PostgresConnection) throws -> JSONValue {
        _ = try requireStaff(actor)
        let onlineOnly = params["online_only"].map { $0 == .bool(true) } ?? false
        let rows = try connection.query(
            """
            SELECT \(AgentRecord.columns) FROM \(schema).agents
            WHERE enabled AND (NOT $1 OR (status = 'online' AND present_until > now())) ORDER BY name, id
            """, [onlineOnly])
        return .members([("items", .array(try rows.map { agentJSON(try AgentRecord(row: $0)) }))])
    }

    private func agentMe(actor: Actor, on connection: PostgresConnection) throws -> JSONValue {
        let id = try requireStaff(actor)
        guard let agent = try agents.read(id, on: connection) else { throw Refusal(.unknownAgent, "no agent \(id)") }
        let length = try queueLength(on: connection)
        guard case .object(var members) = agentJSON(agent) else { return .null }
        members["queue_length"] = .int(length)
        return .object(members)
    }

    private func sessionsMine(actor: Actor, on connection: PostgresConnection) throws -> JSONValue {
        let id = try requireStaff(actor)
        let rows = try connection.query(
            """
            SELECT id::text, channel, visitor_id, state, assigned_at, last_seq, attributes::text FROM \(schema).sessions
            WHERE agent_id = $1 AND state = 'assigned' ORDER BY assigned_at, id
            """, [id.uuid])
        let items = try rows.map { row -> JSONValue in
            .members([
                ("session_id", .string(try row.decode(String.self, at: 0))), ("channel", .string(try row.decode(String.self, at: 1))),
                ("visitor_id", .string(try row.decode(String.self, at: 2))), ("state", .string(try row.decode(String.self, at: 3))),
                ("assigned_at", .time(try row.decode(Date?.self, at: 4))), ("last_seq", .int(try row.decode(Int.self, at: 5))),
                ("attributes", try JSONDecoder().decode(JSONValue.self, from: Data(try row.decode(String.self, at: 6).utf8))),
            ])
        }
        return .members([("items", .array(items))])
    }

    private func sessionGet(actor: Actor, params: [String: JSONValue], on connection: PostgresConnection) throws -> JSONValue {
        guard let id = try Self.uuidParam(params, "session_id") else { throw Refusal(.invalidParams, "session_id is required") }
        guard let session = try sessions.read(SessionID(id), on: connection) else {
            throw Refusal(.unknownSession, "no session \(id.uuidString.lowercased())")
        }
        let served = try servedBy(session, on: connection)
        switch actor.role {
        case .admin, .supervisor, .service: break
        case .visitor:
            guard actor.channel == session.channel, actor.visitorID == session.visitorID else {
                throw Refusal(.unknownSession, "no session \(id.uuidString.lowercased())")
            }
        case .agent:
            guard let agentID = actor.agentID, served.contains(agentID) else {
                throw Refusal(.unknownSession, "no session \(id.uuidString.lowercased())")
            }
        }
        return sessionJSON(session, agents: served)
    }

    private func visitorCurrent(actor: Actor, on connection: PostgresConnection) throws -> JSONValue {
        guard actor.role == .visitor, let channel = actor.channel, let visitorID = actor.visitorID else {
            throw Refusal(.forbidden, "only a visitor has a current session")
        }
        guard let id = try connection.query(
            "SELECT id FROM \(schema).sessions WHERE channel = $1 AND visitor_id = $2 AND state IN ('bot', 'queued', 'assigned')",
            [channel, visitorID]).first.map({ SessionID(try $0.decode(UUID.self, at: 0)) }),
            let session = try sessions.read(id, on: connection)
        else { return .object([:]) }
        return .members([("session", sessionJSON(session, agents: try servedBy(session, on: connection)))])
    }

    private func queueSummary(actor: Actor, on connection: PostgresConnection) throws -> JSONValue {
        _ = try requireStaff(actor)
        let row = try connection.query(
            "SELECT count(*), coalesce(extract(epoch FROM now() - min(enqueued_at)), 0)::bigint FROM \(schema).sessions WHERE state = 'queued'"
        ).first
        return .members([
            ("length", .int(try row?.decode(Int.self, at: 0) ?? 0)),
            ("oldest_wait_seconds", .int(try row?.decode(Int.self, at: 1) ?? 0)),
        ])
    }

    private func leaveMessagesList(actor: Actor, params: [String: JSONValue], on connection: PostgresConnection) throws -> JSONValue {
        _ = try requireStaff(actor)
        let limit = try Self.limit(params)
        var state: String?
        if let value = params["state"] {
            guard let text = value.stringValue, LeaveMessageState(rawValue: text) != nil else {
                throw Refusal(.invalidParams, "state must be unclaimed, claimed or closed")
            }
            state = text
        }
        let after = try Self.cursor(params) ?? 0
        let rows = try connection.query(
            """
            SELECT id::text, channel, visitor_id, session_id::text, name, description, phone, email, images::text, state,
                agent_id::text, note, created_at, updated_at, (extract(epoch FROM created_at) * 1000000)::bigint
            FROM \(schema).leave_messages
            WHERE ($1::text IS NULL OR state = $1) AND (extract(epoch FROM created_at) * 1000000)::bigint > $2
            ORDER BY created_at, id LIMIT $3
            """, [state, after, limit + 1])
        let items = try rows.prefix(limit).map { row -> JSONValue in
            .members([
                ("leave_message_id", .string(try row.decode(String.self, at: 0))), ("channel", .string(try row.decode(String.self, at: 1))),
                ("visitor_id", .string(try row.decode(String.self, at: 2))), ("session_id", (try row.decode(String?.self, at: 3)).map(JSONValue.string)),
                ("name", (try row.decode(String?.self, at: 4)).map(JSONValue.string)), ("description", .string(try row.decode(String.self, at: 5))),
                ("phone", (try row.decode(String?.self, at: 6)).map(JSONValue.string)), ("email", (try row.decode(String?.self, at: 7)).map(JSONValue.string)),
                ("images", try JSONDecoder().decode(JSONValue.self, from: Data(try row.decode(String.self, at: 8).utf8))),
                ("state", .string(try row.decode(String.self, at: 9))), ("agent_id", (try row.decode(String?.self, at: 10)).map(JSONValue.string)),
                ("note", (try row.decode(String?.self, at: 11)).map(JSONValue.string)),
                ("created_at", .time(try row.decode(Date.self, at: 12))), ("updated_at", .time(try row.decode(Date.self, at: 13))),
            ])
        }
        let next = rows.count > limit ? try rows[limit - 1].decode(Int64.self, at: 14) : nil
        return .members([("items", .array(items)), ("next_cursor", next.map { .string(String($0)) })])
    }

    private func assignmentsAudit(actor: Actor, params: [String: JSONValue], on connection: PostgresConnection) throws -> JSONValue {
        try requireAdmin(actor)
        let limit = try Self.limit(params)
        let session = try Self.uuidParam(params, "session_id")
        let agent = try Self.uuidParam(params, "agent_id")
        guard session != nil || agent != nil else { throw Refusal(.invalidParams, "session_id or agent_id is required") }
        let rows = try connection.query(
            """
            SELECT at, session_id::text, agent_id::text, rule, candidates::text FROM \(schema).assignment_audit
            WHERE ($1::uuid IS NULL OR session_id = $1) AND ($2::uuid IS NULL OR agent_id = $2)
            ORDER BY id DESC LIMIT $3
            """, [session, agent, limit])
        let items = try rows.map { row -> JSONValue in
            .members([
                ("at", .time(try row.decode(Date.self, at: 0))), ("session_id", .string(try row.decode(String.self, at: 1))),
                ("agent_id", .string(try row.decode(String.self, at: 2))), ("rule", .string(try row.decode(String.self, at: 3))),
                ("candidates", try JSONDecoder().decode(JSONValue.self, from: Data(try row.decode(String.self, at: 4).utf8))),
            ])
        }
        return .members([("items", .array(items))])
    }

    /// The visitor blocks (黑名单), newest first: in force only (`active: true`), or all with who lifted them;
    /// optionally of one channel or one visitor.
    private func blocksList(actor: Actor, params: [String: JSONValue], on connection: PostgresConnection) throws -> JSONValue {
        try requireAdmin(actor)
        let limit = try Self.limit(params)
        var activeOnly = false
        if let value = params["active"] {
            guard case .bool(let flag) = value else { throw Refusal(.invalidParams, "active must be true or false") }
            activeOnly = flag
        }
        func text(_ key: String) throws -> String? {
            guard let value = params[key] else { return nil }
            guard let text = value.stringValue, !text.isEmpty, text.unicodeScalars.count <= 128 else {
                throw Refusal(.invalidParams, "\(key) must be a string of 1-128 characters")
            }
            return text
        }
        let channel = try text("channel")
        let visitor = try text("visitor_id")
        let rows = try connection.query(
            """
            SELECT b.id::text, b.channel, b.visitor_id, b.reason, b.blocked_by::text, a.name, b.blocked_at, b.until,
                   b.session_id::text, b.lifted_at, b.lifted_by::text,
                   b.lifted_at IS NULL AND (b.until IS NULL OR b.until > now())
            FROM \(schema).blocked_visitors b LEFT JOIN \(schema).agents a ON a.id = b.blocked_by
            WHERE ($1::text IS NULL OR b.channel = $1) AND ($2::text IS NULL OR b.visitor_id = $2)
              AND (NOT $3 OR (b.lifted_at IS NULL AND (b.until IS NULL OR b.until > now())))
            ORDER BY b.blocked_at DESC, b.id LIMIT $4
            """, [channel, visitor, activeOnly, limit])
        let items = try rows.map { row -> JSONValue in
            .members([
                ("block_id", .string(try row.decode(String.self, at: 0))), ("channel", .string(try row.decode(String.self, at: 1))),
                ("visitor_id", .string(try row.decode(String.self, at: 2))), ("reason", .string(try row.decode(String.self, at: 3))),
                ("blocked_by", .string(try row.decode(String.self, at: 4))), ("blocked_by_name", JSONValue(try row.decode(String?.self, at: 5))),
                ("blocked_at", .time(try row.decode(Date.self, at: 6))), ("until", .time(try row.decode(Date?.self, at: 7)) ?? .null),
                ("session_id", JSONValue(try row.decode(String?.self, at: 8))),
                ("lifted_at", .time(try row.decode(Date?.self, at: 9)) ?? .null), ("lifted_by", JSONValue(try row.decode(String?.self, at: 10))),
                ("active", .bool(try row.decode(Bool.self, at: 11))),
            ])
        }
        return .members([("items", .array(items))])
    }

    // MARK: helpers

    func queueLength(on connection: PostgresConnection) throws -> Int {
        try connection.query("SELECT count(*) FROM \(schema).sessions WHERE state = 'queued'").first?.decode(Int.self, at: 0) ?? 0
    }

    private func servedBy(_ session: SessionRecord, on connection: PostgresConnection) throws -> [AgentID] {
        try connection.query(
            "SELECT agent_id FROM \(schema).session_agents WHERE session_id = $1 ORDER BY assigned_at",
            [session.id.uuid]).map { AgentID(try $0.decode(UUID.self, at: 0)) }
    }

    private func sessionJSON(_ session: SessionRecord, agents: [AgentID]) -> JSONValue {
        var unique: [AgentID] = []
        for agent in agents where !unique.contains(agent) { unique.append(agent) }
        return .members([
            ("session_id", .string(session.id.description)), ("channel", .string(session.channel)),
            ("visitor_id", .string(session.visitorID)), ("state", .string(session.state.rawValue)),
            ("agent_id", session.agentID.map { .string($0.description) }),
            ("agents", .array(unique.map { .string($0.description) })),
            ("created_at", .time(session.createdAt)), ("ended_at", .time(session.endedAt)),
            ("end_reason", session.endReason.map(JSONValue.string)), ("last_seq", .int(session.lastSeq)),
            ("rating_invited", .bool(session.ratingInvited)), ("rated", .bool(session.rated)),
        ])
    }
}

import Foundation
import KefuModel
import Postgres
import ServiceRuntime

/// Session summaries (会话小结): the admins' two-level category tree, the agent's summary of an ended human
/// session, and the `summary_required` setting that keeps an agent with a summary due from new sessions.
extension RoutingEngine {
    /// `admin.upsert_summary_category`: creates or renames a category. A parent must be a living first-level
    /// category (`unknown_category`, `category_deleted`, `category_too_deep`); a first-level category with
    /// children cannot become a child (`category_too_deep`); names are unique among living siblings
    /// (`duplicate_category_name`); a deleted category cannot be edited (`category_deleted`).
    func adminUpsertSummaryCategory(_ event: IncomingEvent, _ connection: PostgresConnection) throws {
        try run(event, on: connection) { publication in
            let command = try decode(AdminUpsertSummaryCategory.self, event).data
            connection.queue("LOCK TABLE \(schema).summary_categories IN SHARE ROW EXCLUSIVE MODE")
            let rows = try connection.query(
                """
                SELECT id, parent_id, deleted_at IS NOT NULL,
                       EXISTS (SELECT 1 FROM \(schema).summary_categories c WHERE c.parent_id = k.id AND c.deleted_at IS NULL)
                FROM \(schema).summary_categories k WHERE id = ANY($1::uuid[])
                """, [Self.uuidArray([command.categoryID.uuid] + (command.parentID.map { [$0.uuid] } ?? []))])
            var found: [UUID: (parent: UUID?, deleted: Bool, hasChildren: Bool)] = [:]
            for row in rows {
                found[try row.decode(UUID.self, at: 0)] = (try row.decode(UUID?.self, at: 1), try row.decode(Bool.self, at: 2), try row.decode(Bool.self, at: 3))
            }
            if let existing = found[command.categoryID.uuid] {
                if existing.deleted { throw Refusal(.categoryDeleted, "category \(command.categoryID) was deleted") }
                if command.parentID != nil, existing.hasChildren {
                    throw Refusal(.categoryTooDeep, "category \(command.categoryID) has sub-categories; only two levels are allowed")
                }
            }
            if let parentID = command.parentID {
                guard let parent = found[parentID.uuid] else { throw Refusal(.unknownCategory, "no category \(parentID)") }
                if parent.deleted { throw Refusal(.categoryDeleted, "category \(parentID) was deleted") }
                if parent.parent != nil {
                    throw Refusal(.categoryTooDeep, "category \(parentID) is already a sub-category; only two levels are allowed")
                }
            }
            let taken = try connection.query(
                """
                SELECT 1 FROM \(schema).summary_categories
                WHERE parent_id IS NOT DISTINCT FROM $1 AND name = $2 AND deleted_at IS NULL AND id <> $3
                """, [command.parentID?.uuid, command.name, command.categoryID.uuid])
            guard taken.isEmpty else {
                throw Refusal(.duplicateCategoryName, "a category named \(command.name) already exists there")
            }
            connection.queue(
                """
                INSERT INTO \(schema).summary_categories (id, parent_id, name, position) VALUES ($1, $2, $3, $4)
                ON CONFLICT (id) DO UPDATE SET parent_id = excluded.parent_id, name = excluded.name,
                    position = excluded.position, updated_at = now()
                """, [command.categoryID.uuid, command.parentID?.uuid, command.name, command.position])
            try publication.reply(.success(.members([("category_id", .string(command.categoryID.description))])))
        }
    }

    /// `admin.delete_summary_category`: marks the category and its children deleted (`unknown_category`,
    /// `category_deleted` when already deleted).
    func adminDeleteSummaryCategory(_ event: IncomingEvent, _ connection: PostgresConnection) throws {
        try run(event, on: connection) { publication in
            let command = try decode(AdminDeleteSummaryCategory.self, event).data
            guard let row = try connection.query(
                "SELECT deleted_at IS NOT NULL FROM \(schema).summary_categories WHERE id = $1 FOR UPDATE", [command.categoryID.uuid]
            ).first else { throw Refusal(.unknownCategory, "no category \(command.categoryID)") }
            if try row.decode(Bool.self, at: 0) { throw Refusal(.categoryDeleted, "category \(command.categoryID) was already deleted") }
            let deleted = try connection.query(
                """
                UPDATE \(schema).summary_categories SET deleted_at = now(), updated_at = now()
                WHERE (id = $1 OR parent_id = $1) AND deleted_at IS NULL RETURNING id
                """, [command.categoryID.uuid])
            try publication.reply(.success(.members([("deleted", .int(deleted.count))])))
        }
    }

    /// `agent.submit_summary`: the agent who served a human session (assigned to them now, or ended while
    /// they served it) names 1–10 living categories and a note. Refused: `unknown_session`, `not_your_session`,
    /// `unknown_category`, `category_deleted` — nothing is written then. A summary that was due is no longer:
    /// the agent's `summaries_due` drops and the queue drains.
    func agentSubmitSummary(_ event: IncomingEvent, _ connection: PostgresConnection) throws {
        try run(event, on: connection) { publication in
            let command = try decode(AgentSubmitSummary.self, event).data
            guard let session = try sessions.lock(command.sessionID, on: connection) else {
                throw Refusal(.unknownSession, "no session \(command.sessionID)")
            }
            let due = session.summaryDue
            let serving = session.state == .assigned && session.agentID == command.agentID
            guard serving || (session.state == .ended && session.summaryAgentID == command.agentID) else {
                throw Refusal(.notYourSession, "session \(session.id) was not served by you")
            }
            let rows = try connection.query(
                """
                SELECT c.id, c.name, c.deleted_at IS NOT NULL, p.id, p.name, p.deleted_at IS NOT NULL
                FROM \(schema).summary_categories c LEFT JOIN \(schema).summary_categories p ON p.id = c.parent_id
                WHERE c.id = ANY($1::uuid[])
                """, [Self.uuidArray(command.categoryIDs.map(\.uuid))])
            var refs: [UUID: SummaryCategoryRef] = [:]
            for row in rows {
                let id: UUID = try row.decode(at: 0)
                let deleted: Bool = try row.decode(at: 2)
                let parentDeleted = try row.decode(Bool?.self, at: 5) ?? false
                if deleted || parentDeleted {
                    throw Refusal(.categoryDeleted, "category \(id.uuidString.lowercased()) was deleted; pick another")
                }
                refs[id] = SummaryCategoryRef(
                    categoryID: SummaryCategoryID(id), name: try row.decode(at: 1),
                    parentID: (try row.decode(UUID?.self, at: 3)).map(SummaryCategoryID.init), parentName: try row.decode(at: 4))
            }
            let categories = try command.categoryIDs.map { id -> SummaryCategoryRef in
                guard let ref = refs[id.uuid] else { throw Refusal(.unknownCategory, "no category \(id)") }
                return ref
            }
            let settings = try self.settings.current(on: connection)
            let note = settings.mask(command.note)
            let json = String(decoding: try JSONEncoder().encode(categories), as: UTF8.self)
            connection.queue(
                """
                INSERT INTO \(schema).session_summaries (session_id, agent_id, categories, note) VALUES ($1, $2, $3::jsonb, $4)
                ON CONFLICT (session_id) DO UPDATE SET agent_id = excluded.agent_id, categories = excluded.categories,
                    note = excluded.note, updated_at = now()
                """, [session.id.uuid, command.agentID.uuid, json, note])
            if due {
                connection.queue("UPDATE \(schema).sessions SET summary_due = false WHERE id = $1", [session.id.uuid])
                connection.queue(
                    "UPDATE \(schema).agents SET summaries_due = greatest(0, summaries_due - 1), updated_at = now() WHERE id = $1",
                    [command.agentID.uuid])
                requestDrain()
            }
            try publication.event(SummaryRecorded(sessionID: session.id, agentID: command.agentID, categories: categories, note: note))
            try publication.reply(.success(.members([("session_id", .string(session.id.description)), ("was_due", .bool(due))])))
        }
    }

    /// Called by ``end(_:reason:settings:into:on:)`` for a session an agent was serving: remembers who writes
    /// its summary and, while `summary_required` is on, makes it due (the agent row is already locked by the
    /// load change).
    func noteSummaryOwner(_ session: SessionRecord, agentID: AgentID, settings: ActiveSettings, on connection: PostgresConnection) {
        let required = settings.document.summaryRequired
        connection.queue(
            "UPDATE \(schema).sessions SET summary_agent_id = $2, summary_due = $3 WHERE id = $1",
            [session.id.uuid, agentID.uuid, required])
        if required {
            connection.queue(
                "UPDATE \(schema).agents SET summaries_due = summaries_due + 1, updated_at = now() WHERE id = $1", [agentID.uuid])
        }
    }

    /// Called when the settings turn `summary_required` off: nothing is due any more.
    func clearDueSummaries(on connection: PostgresConnection) {
        connection.queue("UPDATE \(schema).sessions SET summary_due = false WHERE summary_due")
        connection.queue("UPDATE \(schema).agents SET summaries_due = 0 WHERE summaries_due > 0")
    }

    /// `summary_categories.list` (agents, admins): the living tree, first-level categories with their
    /// children, each level by position then name.
    func summaryCategoriesList(actor: Actor, on connection: PostgresConnection) throws -> JSONValue {
        guard actor.role == .agent || actor.role == .admin else { throw Refusal(.forbidden, "only agents and admins may do this") }
        let rows = try connection.query(
            """
            SELECT id::text, parent_id::text, name, position FROM \(schema).summary_categories
            WHERE deleted_at IS NULL ORDER BY position, name, id
            """)
        var children: [String: [JSONValue]] = [:]
        var roots: [(id: String, json: [(String, JSONValue?)])] = []
        for row in rows {
            let id: String = try row.decode(at: 0)
            let fields: [(String, JSONValue?)] = [
                ("category_id", .string(id)), ("name", .string(try row.decode(String.self, at: 2))),
                ("position", .int(try row.decode(Int.self, at: 3))),
            ]
            if let parent = try row.decode(String?.self, at: 1) {
                children[parent, default: []].append(.members(fields + [("parent_id", .string(parent))]))
            } else {
                roots.append((id, fields))
            }
        }
        let items = roots.map { root in JSONValue.members(root.json + [("children", .array(children[root.id] ?? []))]) }
        return .members([("items", .array(items))])
    }

    /// `summaries.pending` (agents: their own): the ended sessions whose required summary is still due.
    func summariesPending(actor: Actor, on connection: PostgresConnection) throws -> JSONValue {
        guard actor.role == .agent || actor.role == .admin, let agentID = actor.agentID else {
            throw Refusal(.forbidden, "only agents and admins may do this")
        }
        let rows = try connection.query(
            """
            SELECT id::text, channel, visitor_id, ended_at FROM \(schema).sessions
            WHERE summary_agent_id = $1 AND summary_due ORDER BY ended_at, id
            """, [agentID.uuid])
        let items = try rows.map { row -> JSONValue in
            .members([
                ("session_id", .string(try row.decode(String.self, at: 0))), ("channel", .string(try row.decode(String.self, at: 1))),
                ("visitor_id", .string(try row.decode(String.self, at: 2))), ("ended_at", .time(try row.decode(Date?.self, at: 3))),
            ])
        }
        return .members([("items", .array(items))])
    }
}

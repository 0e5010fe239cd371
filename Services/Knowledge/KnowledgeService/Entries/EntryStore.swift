import Foundation
import Postgres

/// SQL for knowledge-base entries and categories, on the connection of the handler's transaction.
struct EntryStore: Sendable {
    /// The schema, `knowledge`.
    let schema: String

    private var selectEntries: String {
        "SELECT \(EntryRecord.columns) FROM \(schema).entries e LEFT JOIN \(schema).categories c ON c.id = e.category_id"
    }

    /// The entry with `id`.
    func find(_ id: UUID, _ connection: PostgresConnection) throws -> EntryRecord? {
        try connection.query("\(selectEntries) WHERE e.id = $1", [id]).first.map(EntryRecord.init(row:))
    }

    /// The entries with these ids (any order), optionally only enabled ones.
    func find(_ ids: [UUID], enabledOnly: Bool, _ connection: PostgresConnection) throws -> [UUID: EntryRecord] {
        guard !ids.isEmpty else { return [:] }
        let list = "{" + ids.map(\.lowercasedString).joined(separator: ",") + "}"
        let filter = enabledOnly ? " AND e.enabled" : ""
        let rows = try connection.query("\(selectEntries) WHERE e.id = ANY($1::uuid[])\(filter)", [list])
        var result: [UUID: EntryRecord] = [:]
        for row in rows {
            let record = try EntryRecord(row: row)
            result[record.id] = record
        }
        return result
    }

    /// The entry whose standard question is `question` (case-insensitively, trimmed).
    func find(question: String, _ connection: PostgresConnection) throws -> EntryRecord? {
        try connection.query("\(selectEntries) WHERE lower(btrim(e.question)) = lower(btrim($1))", [question])
            .first.map(EntryRecord.init(row:))
    }

    /// The id of the category called `name` (case-insensitively), refusing with `unknown_category`.
    func categoryID(named name: String?, _ connection: PostgresConnection) throws -> UUID? {
        guard let name else { return nil }
        guard let row = try connection.query(
            "SELECT id FROM \(schema).categories WHERE lower(name) = lower($1)", [name]).first
        else {
            throw Refusal(.unknownCategory, "there is no knowledge category called \"\(name)\"; create it first")
        }
        return try row.decode(UUID.self, at: 0)
    }

    /// Inserts a new entry.
    func insert(
        _ draft: EntryDraft, id: UUID, categoryID: UUID?, by actor: UUID?, sourceSession: UUID?,
        _ connection: PostgresConnection
    ) throws -> EntryRecord {
        try connection.execute(
            """
            INSERT INTO \(schema).entries
                (id, question, similar_questions, answer, image_id, category_id, enabled, source_session_id, created_by, updated_by)
            VALUES ($1, $2, ARRAY(SELECT jsonb_array_elements_text($3::jsonb)), $4, $5, $6, $7, $8, $9, $9)
            """,
            [id, draft.question, JSONText.array(draft.similar), draft.answer, draft.imageID, categoryID, draft.enabled,
             sourceSession, actor])
        guard let record = try find(id, connection) else { throw Refusal(.unknownEntry, "the new entry vanished") }
        return record
    }

    /// Replaces an entry's fields and gives it the next revision.
    func update(_ id: UUID, _ draft: EntryDraft, categoryID: UUID?, by actor: UUID?, _ connection: PostgresConnection) throws -> EntryRecord {
        let changed = try connection.execute(
            """
            UPDATE \(schema).entries SET question = $2, similar_questions = ARRAY(SELECT jsonb_array_elements_text($3::jsonb)),
                answer = $4, image_id = $5, category_id = $6, enabled = $7, updated_by = $8, updated_at = now(),
                revision = nextval('\(schema).entry_revision')
            WHERE id = $1
            """,
            [id, draft.question, JSONText.array(draft.similar), draft.answer, draft.imageID, categoryID, draft.enabled, actor])
        guard changed == 1, let record = try find(id, connection) else {
            throw Refusal(.unknownEntry, "there is no knowledge entry \(id.lowercasedString)")
        }
        return record
    }

    /// Deletes an entry, leaving a tombstone with the next revision; false when there was none.
    func delete(_ id: UUID, by actor: UUID?, _ connection: PostgresConnection) throws -> Bool {
        let deleted = try connection.execute(
            """
            WITH gone AS (DELETE FROM \(schema).entries WHERE id = $1 RETURNING id, question)
            INSERT INTO \(schema).entry_tombstones (entry_id, question, revision, deleted_by)
            SELECT id, question, nextval('\(schema).entry_revision'), $2 FROM gone
            ON CONFLICT (entry_id) DO UPDATE SET revision = excluded.revision, deleted_by = excluded.deleted_by, deleted_at = now()
            """,
            [id, actor])
        return deleted == 1
    }
}

import Foundation
import KefuModel
import Postgres

/// `kb.list`, `kb.get`, `kb.create`, `kb.update`, `kb.delete`.
extension KnowledgeEngine {
    func kbList(_ caller: Caller, _ params: Params, _ connection: PostgresConnection) throws -> JSONValue {
        let limit = try params.limit()
        var conditions: [String] = []
        var values: [any PostgresEncodable] = []
        if let q = try params.string("q")?.trimmingWhitespace(), !q.isEmpty {
            guard q.unicodeScalars.count <= TextRules.maxQuestion else {
                throw Refusal(.invalidParams, "`q` must be at most \(TextRules.maxQuestion) characters")
            }
            values.append(Paging.likePattern(q, contains: true))
            let n = values.count
            conditions.append(
                "(e.question ILIKE $\(n) OR array_to_string(e.similar_questions, ' ') ILIKE $\(n) OR e.answer ILIKE $\(n))")
        }
        if let category = try params.string("category") {
            if category.trimmingWhitespace().isEmpty {
                conditions.append("e.category_id IS NULL")
            } else {
                values.append(try entries.categoryID(named: category, connection))
                conditions.append("e.category_id = $\(values.count)")
            }
        }
        if let enabled = try params.bool("enabled") {
            values.append(enabled)
            conditions.append("e.enabled = $\(values.count)")
        }
        if let cursor = try Paging.parse(try params.string("cursor")) {
            values.append(cursor.micros)
            values.append(cursor.id)
            conditions.append(
                "(e.updated_at, e.id) < ('epoch'::timestamptz + $\(values.count - 1) * interval '1 microsecond', $\(values.count))")
        }
        values.append(limit + 1)
        let filter = conditions.isEmpty ? "" : "WHERE " + conditions.joined(separator: " AND ")
        let rows = try connection.query(
            """
            SELECT \(EntryRecord.columns), (extract(epoch FROM e.updated_at) * 1000000)::bigint
            FROM \(schema).entries e LEFT JOIN \(schema).categories c ON c.id = e.category_id
            \(filter) ORDER BY e.updated_at DESC, e.id DESC LIMIT $\(values.count)
            """,
            values)
        let items = try rows.prefix(limit).map { row in
            let record = try EntryRecord(row: row)
            return (json: record.json, cursor: Paging.cursor(micros: try row.decode(Int64.self, at: 14), id: record.id))
        }
        return Paging.page(items, limit: limit, hasMore: rows.count > limit)
    }

    func kbGet(_ caller: Caller, _ params: Params, _ connection: PostgresConnection) throws -> JSONValue {
        try existing(try params.requiredUUID("entry_id"), connection).json
    }

    func kbCreate(_ caller: Caller, _ params: Params, _ connection: PostgresConnection, _ publication: inout Publication) throws -> JSONValue {
        let draft = try EntryDraft(
            question: try params.requiredString("question"), similar: try params.strings("similar") ?? [],
            answer: try params.requiredString("answer"), imageID: try imageParam(params) ?? nil,
            category: try params.string("category"), enabled: try params.bool("enabled") ?? true)
        let record = try createEntry(draft, by: caller.agentID, sourceSession: nil, connection, &publication)
        return record.json
    }

    func kbUpdate(_ caller: Caller, _ params: Params, _ connection: PostgresConnection, _ publication: inout Publication) throws -> JSONValue {
        let current = try existing(try params.requiredUUID("entry_id"), connection)
        if let expected = try params.int("expected_revision", in: 0...Int.max), Int64(expected) != current.revision {
            throw Refusal(.versionConflict, "the entry changed since revision \(expected) (now \(current.revision)); reload it")
        }
        var base = EntryDraft(current)
        if params.has("category"), try params.string("category") == nil { base.category = nil }
        let draft = try EntryDraft(
            question: try params.string("question") ?? base.question,
            similar: try params.strings("similar") ?? (params.isNull("similar") ? [] : base.similar),
            answer: try params.string("answer") ?? base.answer,
            imageID: try imageParam(params) ?? base.imageID,
            category: try params.string("category") ?? base.category,
            enabled: try params.bool("enabled") ?? base.enabled)
        let record = try entries.update(
            current.id, draft, categoryID: try entries.categoryID(named: draft.category, connection), by: caller.agentID, connection)
        try publication.event(KnowledgeChanged(entryID: KnowledgeEntryID(record.id), change: .upserted))
        return record.json
    }

    func kbDelete(_ caller: Caller, _ params: Params, _ connection: PostgresConnection, _ publication: inout Publication) throws -> JSONValue {
        let id = try params.requiredUUID("entry_id")
        guard try entries.delete(id, by: caller.agentID, connection) else {
            throw Refusal(.unknownEntry, "there is no knowledge entry \(id.lowercasedString)")
        }
        try publication.event(KnowledgeChanged(entryID: KnowledgeEntryID(id), change: .deleted))
        return .object([:])
    }

    /// Creates an entry and announces it.
    func createEntry(
        _ draft: EntryDraft, by actor: UUID?, sourceSession: UUID?, _ connection: PostgresConnection,
        _ publication: inout Publication
    ) throws -> EntryRecord {
        if try entries.find(question: draft.question, connection) != nil {
            throw Refusal(.duplicateQuestion, "another entry already has the standard question \"\(draft.question)\"")
        }
        let record = try entries.insert(
            draft, id: UUID(), categoryID: try entries.categoryID(named: draft.category, connection), by: actor,
            sourceSession: sourceSession, connection)
        try publication.event(KnowledgeChanged(entryID: KnowledgeEntryID(record.id), change: .upserted))
        return record
    }

    /// The entry, or `unknown_entry`.
    func existing(_ id: UUID, _ connection: PostgresConnection) throws -> EntryRecord {
        guard let record = try entries.find(id, connection) else {
            throw Refusal(.unknownEntry, "there is no knowledge entry \(id.lowercasedString)")
        }
        return record
    }

    /// `image` (`{ "image_id": … }`, or null to remove it) or `image_id`: nil when absent, `.some(nil)` to clear.
    func imageParam(_ params: Params) throws -> UUID?? {
        if let id = try params.uuid("image_id") { return .some(id) }
        guard let value = params.values["image"] else { return nil }
        if value == .null { return .some(nil) }
        guard let text = value["image_id"]?.stringValue, let id = UUID(uuidString: text), value.objectValue?.count == 1 else {
            throw Refusal(.invalidParams, "`image` must be { \"image_id\": <uuid> } (an image uploaded to Kefu) or null")
        }
        return .some(id)
    }
}

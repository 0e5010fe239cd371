import Foundation
import KefuModel
import Postgres

/// `quick_replies.list`, `.create`, `.update`, `.delete`, `.reorder` (快捷回复语料).
extension KnowledgeEngine {
    func quickRepliesList(_ caller: Caller, _ params: Params, _ connection: PostgresConnection) throws -> JSONValue {
        let library = try QuickReplyLibrary.named(try params.string("library"), for: caller)
        let limit = try params.int("limit", in: 1...200) ?? 200
        let offset = try Self.offsetCursor(try params.string("cursor"))
        var values: [any PostgresEncodable] = [library.kind.rawValue, library.owner]
        var conditions = [library.condition(alias: "q", libraryParameter: 1, ownerParameter: 2)]
        if let categoryID = try params.uuid("category_id") {
            _ = try category(categoryID, in: library, connection)
            values.append(categoryID)
            conditions.append("q.category_id = $\(values.count)")
        }
        if let q = try params.string("q")?.trimmingWhitespace(), !q.isEmpty {
            values.append(Paging.likePattern(q, contains: false))
            conditions.append("(q.keyword ILIKE $\(values.count) OR q.content ILIKE $\(values.count))")
        }
        values.append(limit + 1)
        values.append(offset)
        let rows = try connection.query(
            """
            SELECT \(QuickReplyRecord.aliasedColumns)
            FROM \(schema).quick_replies q LEFT JOIN \(schema).quick_reply_categories c ON c.id = q.category_id
            WHERE \(conditions.joined(separator: " AND "))
            ORDER BY c.position NULLS LAST, c.id, q.position, q.id LIMIT $\(values.count - 1) OFFSET $\(values.count)
            """,
            values)
        let items = try rows.prefix(limit).enumerated().map { index, row in
            (json: try QuickReplyRecord(row: row).json, cursor: "o\(offset + index + 1)")
        }
        let categories = JSONValue.array(try quickReplies.categories(of: library, connection).map(\.json))
        let budget = Paging.budget - Paging.encodedSize(categories)
        guard case .object(var page) = Paging.page(items, limit: limit, hasMore: rows.count > limit, budget: budget) else {
            return .null
        }
        page["categories"] = categories
        return .object(page)
    }

    func quickReplyCreate(_ caller: Caller, _ params: Params, _ connection: PostgresConnection) throws -> JSONValue {
        let library = try QuickReplyLibrary.named(try params.string("library"), for: caller)
        try library.requireWritable(by: caller)
        let keyword = try Self.keyword(try params.requiredString("keyword"))
        let content = try Self.content(try params.requiredString("content"))
        let categoryID = try params.uuid("category_id")
        if let categoryID { _ = try category(categoryID, in: library, connection) }
        guard try quickReplies.count("quick_replies", in: library, connection) < QuickReplyLibrary.maxReplies else {
            throw Refusal(.invalidParams, "a library holds at most \(QuickReplyLibrary.maxReplies) quick replies")
        }
        try requireFreeKeyword(keyword, in: library, except: nil, connection)
        let rows = try connection.query(
            """
            INSERT INTO \(schema).quick_replies (id, library, owner_id, category_id, keyword, content, position, created_by, updated_by)
            VALUES ($1, $2, $3, $4, $5, $6, coalesce($7, (
                SELECT coalesce(max(position) + 1, 0) FROM \(schema).quick_replies q
                WHERE \(library.condition(alias: "q", libraryParameter: 2, ownerParameter: 3))
                  AND q.category_id IS NOT DISTINCT FROM $4::uuid)), $8, $8)
            RETURNING \(QuickReplyRecord.columns)
            """,
            [UUID(), library.kind.rawValue, library.owner, categoryID, keyword, content,
             try params.int("position", in: 0...1_000_000), caller.agentID])
        return try QuickReplyRecord(row: rows[0]).json
    }

    func quickReplyUpdate(_ caller: Caller, _ params: Params, _ connection: PostgresConnection) throws -> JSONValue {
        let (record, library) = try reply(try params.requiredUUID("id"), params, caller, connection)
        try library.requireWritable(by: caller)
        let keyword = try params.string("keyword").map(Self.keyword) ?? record.keyword
        let content = try params.string("content").map(Self.content) ?? record.content
        var categoryID = record.categoryID
        if params.has("category_id") {
            categoryID = try params.uuid("category_id")
            if let categoryID { _ = try category(categoryID, in: library, connection) }
        }
        try requireFreeKeyword(keyword, in: library, except: record.id, connection)
        let rows = try connection.query(
            """
            UPDATE \(schema).quick_replies SET keyword = $2, content = $3, category_id = $4,
                position = coalesce($5, position), updated_by = $6, updated_at = now()
            WHERE id = $1 RETURNING \(QuickReplyRecord.columns)
            """,
            [record.id, keyword, content, categoryID, try params.int("position", in: 0...1_000_000), caller.agentID])
        return try QuickReplyRecord(row: rows[0]).json
    }

    func quickReplyDelete(_ caller: Caller, _ params: Params, _ connection: PostgresConnection) throws -> JSONValue {
        let (record, library) = try reply(try params.requiredUUID("id"), params, caller, connection)
        try library.requireWritable(by: caller)
        try connection.execute("DELETE FROM \(schema).quick_replies WHERE id = $1", [record.id])
        return .object([:])
    }

    /// Puts the replies of one category (or the uncategorised ones) in the order of `ids`, which must
    /// name each of them exactly once.
    func quickRepliesReorder(_ caller: Caller, _ params: Params, _ connection: PostgresConnection) throws -> JSONValue {
        let library = try QuickReplyLibrary.named(try params.string("library"), for: caller)
        try library.requireWritable(by: caller)
        let categoryID = try params.uuid("category_id")
        if let categoryID { _ = try category(categoryID, in: library, connection) }
        let ids = try params.requiredUUIDs("ids")
        let current = try connection.query(
            """
            SELECT id FROM \(schema).quick_replies q
            WHERE \(library.condition(alias: "q", libraryParameter: 1, ownerParameter: 2)) AND q.category_id IS NOT DISTINCT FROM $3::uuid
            """,
            [library.kind.rawValue, library.owner, categoryID]
        ).map { try $0.decode(UUID.self, at: 0) }
        guard Set(ids) == Set(current), ids.count == current.count else {
            throw Refusal(.invalidParams, "`ids` must list every quick reply of the category exactly once (\(current.count) of them)")
        }
        try Self.renumber(ids, table: "\(schema).quick_replies", by: caller.agentID, connection)
        return .object([:])
    }

    // MARK: helpers shared with the category queries

    /// A reply the caller may see (others' personal replies do not exist for them), checked against `library` if given.
    func reply(_ id: UUID, _ params: Params, _ caller: Caller, _ connection: PostgresConnection) throws -> (QuickReplyRecord, QuickReplyLibrary) {
        guard let record = try quickReplies.reply(id, connection),
              let library = QuickReplyLibrary.of(kind: record.library, owner: record.owner, visibleTo: caller),
              try params.string("library").map({ $0 == record.library }) ?? true
        else { throw Refusal(.unknownQuickReply, "there is no quick reply \(id.lowercasedString) in your libraries") }
        return (record, library)
    }

    /// A category of `library`, or `unknown_category`.
    func category(_ id: UUID, in library: QuickReplyLibrary, _ connection: PostgresConnection) throws -> QuickReplyCategoryRecord {
        guard let record = try quickReplies.category(id, connection), record.library == library.kind.rawValue,
              record.owner == library.owner
        else { throw Refusal(.unknownCategory, "there is no category \(id.lowercasedString) in this library") }
        return record
    }

    func requireFreeKeyword(_ keyword: String, in library: QuickReplyLibrary, except: UUID?, _ connection: PostgresConnection) throws {
        if try quickReplies.keywordTaken(keyword, in: library, except: except, connection) {
            throw Refusal(.duplicateKeyword, "this library already has a quick reply with the keyword \"\(keyword)\"")
        }
    }

    /// Sets `position` to 0, 1, 2… in the order of `ids`.
    static func renumber(_ ids: [UUID], table: String, by agent: UUID, _ connection: PostgresConnection) throws {
        guard !ids.isEmpty else { return }
        let list = "{" + ids.map(\.lowercasedString).joined(separator: ",") + "}"
        try connection.execute(
            """
            UPDATE \(table) t SET position = o.ordinality - 1, updated_by = $2, updated_at = now()
            FROM unnest($1::uuid[]) WITH ORDINALITY AS o(id, ordinality) WHERE t.id = o.id
            """,
            [list, agent])
    }

    static func keyword(_ text: String) throws -> String {
        try TextRules.text(text, field: "keyword", max: TextRules.maxKeyword, multiline: false)
    }

    static func content(_ text: String) throws -> String {
        try TextRules.text(text, field: "content", max: TextRules.maxContent, multiline: true)
    }

    static func offsetCursor(_ cursor: String?) throws -> Int {
        guard let cursor else { return 0 }
        guard cursor.hasPrefix("o"), let offset = Int(cursor.dropFirst()), offset >= 0 else {
            throw Refusal(.invalidParams, "`cursor` is not one this service returned")
        }
        return offset
    }
}

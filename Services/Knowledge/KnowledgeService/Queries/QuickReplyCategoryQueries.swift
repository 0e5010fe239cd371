import Foundation
import KefuModel
import Postgres

/// `quick_reply_categories.create`, `.update`, `.delete`, `.reorder`: one level of categories per library.
extension KnowledgeEngine {
    func quickReplyCategoryCreate(_ caller: Caller, _ params: Params, _ connection: PostgresConnection) throws -> JSONValue {
        let library = try QuickReplyLibrary.named(try params.string("library"), for: caller)
        try library.requireWritable(by: caller)
        let name = try TextRules.text(try params.requiredString("name"), field: "name", max: TextRules.maxCategoryName, multiline: false)
        guard try quickReplies.count("quick_reply_categories", in: library, connection) < QuickReplyLibrary.maxCategories else {
            throw Refusal(.invalidParams, "a library holds at most \(QuickReplyLibrary.maxCategories) categories")
        }
        let rows = try connection.query(
            """
            INSERT INTO \(schema).quick_reply_categories (id, library, owner_id, name, position, created_by, updated_by)
            VALUES ($1, $2, $3, $4, coalesce($5, (
                SELECT coalesce(max(position) + 1, 0) FROM \(schema).quick_reply_categories c
                WHERE \(library.condition(alias: "c", libraryParameter: 2, ownerParameter: 3)))), $6, $6)
            RETURNING \(QuickReplyCategoryRecord.columns)
            """,
            [UUID(), library.kind.rawValue, library.owner, name, try params.int("position", in: 0...1_000_000), caller.agentID])
        return try QuickReplyCategoryRecord(row: rows[0]).json
    }

    func quickReplyCategoryUpdate(_ caller: Caller, _ params: Params, _ connection: PostgresConnection) throws -> JSONValue {
        let (record, library) = try visibleCategory(try params.requiredUUID("category_id"), params, caller, connection)
        try library.requireWritable(by: caller)
        let name = try params.string("name").map {
            try TextRules.text($0, field: "name", max: TextRules.maxCategoryName, multiline: false)
        }
        let rows = try connection.query(
            """
            UPDATE \(schema).quick_reply_categories SET name = coalesce($2, name), position = coalesce($3, position),
                updated_by = $4, updated_at = now()
            WHERE id = $1 RETURNING \(QuickReplyCategoryRecord.columns)
            """,
            [record.id, name, try params.int("position", in: 0...1_000_000), caller.agentID])
        return try QuickReplyCategoryRecord(row: rows[0]).json
    }

    /// Deletes a category; its replies stay, uncategorised.
    func quickReplyCategoryDelete(_ caller: Caller, _ params: Params, _ connection: PostgresConnection) throws -> JSONValue {
        let (record, library) = try visibleCategory(try params.requiredUUID("category_id"), params, caller, connection)
        try library.requireWritable(by: caller)
        try connection.execute("DELETE FROM \(schema).quick_reply_categories WHERE id = $1", [record.id])
        return .object([:])
    }

    /// Puts the library's categories in the order of `ids`, which must name each of them exactly once.
    func quickReplyCategoriesReorder(_ caller: Caller, _ params: Params, _ connection: PostgresConnection) throws -> JSONValue {
        let library = try QuickReplyLibrary.named(try params.string("library"), for: caller)
        try library.requireWritable(by: caller)
        let ids = try params.requiredUUIDs("ids")
        let current = try quickReplies.categories(of: library, connection).map(\.id)
        guard Set(ids) == Set(current), ids.count == current.count else {
            throw Refusal(.invalidParams, "`ids` must list every category of the library exactly once (\(current.count) of them)")
        }
        try Self.renumber(ids, table: "\(schema).quick_reply_categories", by: caller.agentID, connection)
        return .object([:])
    }

    private func visibleCategory(
        _ id: UUID, _ params: Params, _ caller: Caller, _ connection: PostgresConnection
    ) throws -> (QuickReplyCategoryRecord, QuickReplyLibrary) {
        guard let record = try quickReplies.category(id, connection),
              let library = QuickReplyLibrary.of(kind: record.library, owner: record.owner, visibleTo: caller),
              try params.string("library").map({ $0 == record.library }) ?? true
        else { throw Refusal(.unknownCategory, "there is no category \(id.lowercasedString) in your libraries") }
        return (record, library)
    }
}

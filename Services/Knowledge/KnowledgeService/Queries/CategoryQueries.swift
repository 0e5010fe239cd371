import Foundation
import KefuModel
import Postgres

/// `kb_categories.list`, `.create`, `.update`, `.delete`: the knowledge base's one-level categories.
extension KnowledgeEngine {
    func categoriesList(_ caller: Caller, _ connection: PostgresConnection) throws -> JSONValue {
        let rows = try connection.query(
            """
            SELECT c.id, c.name, c.position, (SELECT count(*) FROM \(schema).entries e WHERE e.category_id = c.id)
            FROM \(schema).categories c ORDER BY c.position, lower(c.name)
            """)
        return .object(["items": .array(try rows.map(Self.categoryJSON))])
    }

    func categoriesCreate(_ caller: Caller, _ params: Params, _ connection: PostgresConnection) throws -> JSONValue {
        let name = try TextRules.text(try params.requiredString("name"), field: "name", max: TextRules.maxCategoryName, multiline: false)
        let position = try params.int("position", in: 0...1_000_000)
        let rows = try connection.query(
            """
            INSERT INTO \(schema).categories (id, name, position, created_by, updated_by)
            VALUES ($1, $2, coalesce($3, (SELECT coalesce(max(position) + 1, 0) FROM \(schema).categories)), $4, $4)
            RETURNING id, name, position, 0
            """,
            [UUID(), name, position, caller.agentID])
        return try Self.categoryJSON(rows[0])
    }

    func categoriesUpdate(_ caller: Caller, _ params: Params, _ connection: PostgresConnection) throws -> JSONValue {
        let id = try params.requiredUUID("category_id")
        let name = try params.string("name").map {
            try TextRules.text($0, field: "name", max: TextRules.maxCategoryName, multiline: false)
        }
        let position = try params.int("position", in: 0...1_000_000)
        let rows = try connection.query(
            """
            UPDATE \(schema).categories SET name = coalesce($2, name), position = coalesce($3, position),
                updated_by = $4, updated_at = now()
            WHERE id = $1
            RETURNING id, name, position, (SELECT count(*) FROM \(schema).entries e WHERE e.category_id = $1)
            """,
            [id, name, position, caller.agentID])
        guard let row = rows.first else { throw Refusal(.unknownCategory, "there is no knowledge category \(id.lowercasedString)") }
        return try Self.categoryJSON(row)
    }

    func categoriesDelete(_ caller: Caller, _ params: Params, _ connection: PostgresConnection) throws -> JSONValue {
        let id = try params.requiredUUID("category_id")
        guard try connection.execute("DELETE FROM \(schema).categories WHERE id = $1", [id]) == 1 else {
            throw Refusal(.unknownCategory, "there is no knowledge category \(id.lowercasedString)")
        }
        return .object([:])
    }

    private static func categoryJSON(_ row: PostgresRow) throws -> JSONValue {
        .object([
            "category_id": .string(try row.decode(UUID.self, at: 0).lowercasedString),
            "name": .string(try row.decode(String.self, at: 1)),
            "position": .integer(Int64(try row.decode(Int.self, at: 2))),
            "entries": .integer(try row.decode(Int64.self, at: 3)),
        ])
    }
}

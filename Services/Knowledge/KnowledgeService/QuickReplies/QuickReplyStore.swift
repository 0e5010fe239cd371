import Foundation
import KefuModel
import Postgres

/// A quick reply as stored.
struct QuickReplyRecord: Sendable {
    var id: UUID
    var library: String
    var owner: UUID?
    var categoryID: UUID?
    var keyword: String
    var content: String
    var position: Int

    static let columns = "id, library, owner_id, category_id, keyword, content, position"
    /// ``columns`` qualified by a table alias.
    static let aliasedColumns = "q.id, q.library, q.owner_id, q.category_id, q.keyword, q.content, q.position"

    init(row: PostgresRow) throws {
        id = try row.decode(UUID.self, at: 0)
        library = try row.decode(String.self, at: 1)
        owner = try row.decode(UUID?.self, at: 2)
        categoryID = try row.decode(UUID?.self, at: 3)
        keyword = try row.decode(String.self, at: 4)
        content = try row.decode(String.self, at: 5)
        position = try row.decode(Int.self, at: 6)
    }

    var json: JSONValue {
        .members([
            ("id", .string(id.lowercasedString)),
            ("library", .string(library)),
            ("category_id", categoryID.map { .string($0.lowercasedString) }),
            ("keyword", .string(keyword)),
            ("content", .string(content)),
            ("position", .integer(Int64(position))),
        ])
    }
}

/// A quick-reply category as stored.
struct QuickReplyCategoryRecord: Sendable {
    var id: UUID
    var library: String
    var owner: UUID?
    var name: String
    var position: Int

    static let columns = "id, library, owner_id, name, position"

    init(row: PostgresRow) throws {
        id = try row.decode(UUID.self, at: 0)
        library = try row.decode(String.self, at: 1)
        owner = try row.decode(UUID?.self, at: 2)
        name = try row.decode(String.self, at: 3)
        position = try row.decode(Int.self, at: 4)
    }

    var json: JSONValue {
        .object([
            "category_id": .string(id.lowercasedString),
            "library": .string(library),
            "name": .string(name),
            "position": .integer(Int64(position)),
        ])
    }
}

/// SQL for the quick-reply libraries.
struct QuickReplyStore: Sendable {
    /// The schema, `knowledge`.
    let schema: String

    func reply(_ id: UUID, _ connection: PostgresConnection) throws -> QuickReplyRecord? {
        try connection.query("SELECT \(QuickReplyRecord.columns) FROM \(schema).quick_replies WHERE id = $1", [id])
            .first.map(QuickReplyRecord.init(row:))
    }

    func category(_ id: UUID, _ connection: PostgresConnection) throws -> QuickReplyCategoryRecord? {
        try connection.query(
            "SELECT \(QuickReplyCategoryRecord.columns) FROM \(schema).quick_reply_categories WHERE id = $1", [id]
        ).first.map(QuickReplyCategoryRecord.init(row:))
    }

    /// The categories of a library, in order.
    func categories(of library: QuickReplyLibrary, _ connection: PostgresConnection) throws -> [QuickReplyCategoryRecord] {
        try connection.query(
            """
            SELECT \(QuickReplyCategoryRecord.columns) FROM \(schema).quick_reply_categories c
            WHERE \(library.condition(alias: "c", libraryParameter: 1, ownerParameter: 2)) ORDER BY position, id
            """,
            [library.kind.rawValue, library.owner]
        ).map(QuickReplyCategoryRecord.init(row:))
    }

    /// Whether the library already has a reply with `keyword` (case-insensitively), other than `except`.
    func keywordTaken(_ keyword: String, in library: QuickReplyLibrary, except: UUID?, _ connection: PostgresConnection) throws -> Bool {
        try !connection.query(
            """
            SELECT 1 FROM \(schema).quick_replies q
            WHERE \(library.condition(alias: "q", libraryParameter: 1, ownerParameter: 2))
              AND lower(q.keyword) = lower($3) AND q.id IS DISTINCT FROM $4::uuid
            """,
            [library.kind.rawValue, library.owner, keyword, except]
        ).isEmpty
    }

    /// How many replies (or categories) the library holds.
    func count(_ table: String, in library: QuickReplyLibrary, _ connection: PostgresConnection) throws -> Int {
        try connection.query(
            "SELECT count(*) FROM \(schema).\(table) t WHERE \(library.condition(alias: "t", libraryParameter: 1, ownerParameter: 2))",
            [library.kind.rawValue, library.owner]
        ).first?.decode(Int.self, at: 0) ?? 0
    }
}

import Foundation
import KefuModel
import Postgres

/// A knowledge-base entry as stored.
struct EntryRecord: Sendable, Equatable {
    var id: UUID
    var question: String
    var similar: [String]
    var answer: String
    var imageID: UUID?
    var categoryID: UUID?
    var category: String?
    var enabled: Bool
    var sourceSessionID: UUID?
    var revision: Int64
    var createdBy: UUID?
    var createdAt: Date
    var updatedBy: UUID?
    var updatedAt: Date

    /// The columns ``init(row:)`` reads, for `FROM entries e LEFT JOIN categories c ON c.id = e.category_id`.
    static let columns = """
        e.id, e.question, array_to_json(e.similar_questions)::text, e.answer, e.image_id, e.category_id, c.name, \
        e.enabled, e.source_session_id, e.revision, e.created_by, e.created_at, e.updated_by, e.updated_at
        """

    init(row: PostgresRow) throws {
        id = try row.decode(UUID.self, at: 0)
        question = try row.decode(String.self, at: 1)
        similar = try JSONText.strings(try row.decode(String.self, at: 2))
        answer = try row.decode(String.self, at: 3)
        imageID = try row.decode(UUID?.self, at: 4)
        categoryID = try row.decode(UUID?.self, at: 5)
        category = try row.decode(String?.self, at: 6)
        enabled = try row.decode(Bool.self, at: 7)
        sourceSessionID = try row.decode(UUID?.self, at: 8)
        revision = try row.decode(Int64.self, at: 9)
        createdBy = try row.decode(UUID?.self, at: 10)
        createdAt = try row.decode(Date.self, at: 11)
        updatedBy = try row.decode(UUID?.self, at: 12)
        updatedAt = try row.decode(Date.self, at: 13)
    }

    /// The entry as queries return it (`docs/queries.md`): absent optional members are left out.
    var json: JSONValue {
        .members([
            ("entry_id", .string(id.lowercasedString)),
            ("question", .string(question)),
            ("similar", .array(similar.map(JSONValue.string))),
            ("answer", .string(answer)),
            ("image", imageID.map { .object(["image_id": .string($0.lowercasedString)]) }),
            ("category", category.map(JSONValue.string)),
            ("enabled", .bool(enabled)),
            ("revision", .integer(revision)),
            ("created_by", createdBy.map { .string($0.lowercasedString) }),
            ("updated_by", updatedBy.map { .string($0.lowercasedString) }),
            ("created_at", .time(createdAt)),
            ("updated_at", .time(updatedAt)),
            ("source_session_id", sourceSessionID.map { .string($0.lowercasedString) }),
        ])
    }
}

extension JSONValue {
    /// An object from optional members; nil members are left out, as the contract wants.
    static func members(_ pairs: [(String, JSONValue?)]) -> JSONValue {
        var object: [String: JSONValue] = [:]
        for (key, value) in pairs {
            if let value { object[key] = value }
        }
        return .object(object)
    }

    /// An RFC 3339 UTC time with milliseconds.
    static func time(_ date: Date) -> JSONValue {
        .string(Timestamp(date).rfc3339)
    }
}

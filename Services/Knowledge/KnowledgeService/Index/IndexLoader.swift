import Foundation
import Postgres

/// An entry as the index needs it.
struct IndexRow: Sendable, Equatable {
    var id: UUID
    var revision: Int64
    var enabled: Bool
    var question: String
    var similar: [String]
}

/// A deleted entry.
struct IndexTombstone: Sendable, Equatable {
    var id: UUID
    var revision: Int64
}

/// Everything the index starts from.
struct IndexSnapshot: Sendable {
    var rows: [IndexRow]
    var highWater: Int64
    /// The admins' words and synonyms the matcher is built with.
    var lexicon = AdminLexicon()
}

/// Reads what the index needs from the knowledge schema (synchronously, on a connection the caller holds).
struct IndexLoader: Sendable {
    /// The schema, `knowledge`.
    let schema: String

    private var columns: String {
        "id, revision, enabled, question, array_to_json(similar_questions)::text"
    }

    /// Every entry (disabled ones too, so their revisions are known) and the highest revision.
    func snapshot(_ connection: PostgresConnection) throws -> IndexSnapshot {
        let rows = try connection.query("SELECT \(columns) FROM \(schema).entries").map(Self.row)
        let high = try connection.query(
            "SELECT greatest((SELECT coalesce(max(revision), 0) FROM \(schema).entries), (SELECT coalesce(max(revision), 0) FROM \(schema).entry_tombstones))"
        ).first?.decode(Int64.self, at: 0) ?? 0
        return IndexSnapshot(rows: rows, highWater: high, lexicon: try LexiconStore(schema: schema).load(connection))
    }

    /// The entries and deletions with a revision above `revision`, and the admin lexicon's revision (one round trip).
    func changes(
        since revision: Int64, _ connection: PostgresConnection
    ) throws -> (rows: [IndexRow], tombstones: [IndexTombstone], lexiconRevision: Int64) {
        let results = try connection.pipeline([
            PostgresStatement("SELECT \(columns) FROM \(schema).entries WHERE revision > $1 ORDER BY revision", [revision]),
            PostgresStatement("SELECT entry_id, revision FROM \(schema).entry_tombstones WHERE revision > $1", [revision]),
            LexiconStore.revisionStatement(schema),
        ])
        let rows = try results[0].map(Self.row)
        let tombstones = try results[1].map { IndexTombstone(id: try $0.decode(UUID.self, at: 0), revision: try $0.decode(Int64.self, at: 1)) }
        return (rows, tombstones, try results[2].first?.decode(Int64.self, at: 0) ?? 0)
    }

    /// The current state of the given entries: rows for those that exist, tombstones for deleted ones,
    /// and the ids found in neither.
    func current(_ ids: [UUID], _ connection: PostgresConnection) throws -> (rows: [IndexRow], tombstones: [IndexTombstone], missing: [UUID]) {
        guard !ids.isEmpty else { return ([], [], []) }
        let list = "{" + ids.map(\.lowercasedString).joined(separator: ",") + "}"
        let rows = try connection.query(
            "SELECT \(columns) FROM \(schema).entries WHERE id = ANY($1::uuid[])", [list]
        ).map(Self.row)
        let tombstones = try connection.query(
            "SELECT entry_id, revision FROM \(schema).entry_tombstones WHERE entry_id = ANY($1::uuid[])", [list]
        ).map { IndexTombstone(id: try $0.decode(UUID.self, at: 0), revision: try $0.decode(Int64.self, at: 1)) }
        let found = Set(rows.map(\.id)).union(tombstones.map(\.id))
        return (rows, tombstones, ids.filter { !found.contains($0) })
    }

    /// Every entry id with its revision.
    func revisions(_ connection: PostgresConnection) throws -> [UUID: Int64] {
        var result: [UUID: Int64] = [:]
        for row in try connection.query("SELECT id, revision FROM \(schema).entries") {
            result[try row.decode(UUID.self, at: 0)] = try row.decode(Int64.self, at: 1)
        }
        return result
    }

    private static func row(_ row: PostgresRow) throws -> IndexRow {
        IndexRow(
            id: try row.decode(UUID.self, at: 0), revision: try row.decode(Int64.self, at: 1),
            enabled: try row.decode(Bool.self, at: 2), question: try row.decode(String.self, at: 3),
            similar: try JSONText.strings(try row.decode(String.self, at: 4)))
    }
}

import Foundation
import KefuModel
import Postgres

/// `kb.import` and `kb.export` (CSV and JSON, through short-lived blob keys).
///
/// Imports are all-or-nothing: when any row is malformed nothing is written and every problem is
/// reported with its line (at most ``maxReportedErrors``; `error_count` has the total), so fixing the
/// file and uploading it again is always safe. A row updates the entry with the same standard question
/// (or, in JSON, the same `entry_id`) and creates one otherwise; unchanged entries are left alone.
extension KnowledgeEngine {
    static let maxReportedErrors = 100

    func kbImport(_ caller: Caller, _ params: Params, _ connection: PostgresConnection, _ publication: inout Publication) throws -> JSONValue {
        let format = try params.string("format") ?? "csv"
        guard format == "csv" || format == "json" else { throw Refusal(.invalidParams, "`format` must be csv or json") }
        let createCategories = try params.bool("create_categories") ?? false
        let bytes = try blobs.consume(try params.requiredString("blob_key"))
        var (rows, problems) = try ImportParser.parse(bytes, format: format)
        guard rows.count + problems.count <= ImportParser.maxRows else {
            throw Refusal(.invalidImport, "an import holds at most \(ImportParser.maxRows) entries; split the file")
        }
        let existing = try importTargets(connection)
        var categories = try categoryIDs(connection)
        var seen: [String: Int] = [:]
        for row in rows {
            let key = row.draft.question.lowercased()
            if let first = seen[key] {
                problems.append(ImportProblem(line: row.line, message: "the same standard question as line \(first)"))
            }
            seen[key] = seen[key] ?? row.line
            if let category = row.draft.category, categories[category.lowercased()] == nil, !createCategories {
                problems.append(ImportProblem(
                    line: row.line, message: "unknown category \"\(category)\"; create it first or import with create_categories"))
            }
            if let id = row.entryID, existing.byID[id] != nil, let other = existing.byQuestion[key], other != id {
                problems.append(ImportProblem(line: row.line, message: "another entry already has this standard question"))
            }
        }
        guard problems.isEmpty else {
            problems.sort { $0.line < $1.line }
            return Self.importResult(created: 0, updated: 0, unchanged: 0, problems: problems)
        }
        var created = 0, updated = 0, unchanged = 0
        for row in rows {
            var draft = row.draft
            let categoryID = try draft.category.map { name in
                if let id = categories[name.lowercased()] { return id }
                let id = UUID()
                try connection.execute(
                    "INSERT INTO \(schema).categories (id, name, created_by, updated_by) VALUES ($1, $2, $3, $3)",
                    [id, name, caller.agentID])
                categories[name.lowercased()] = id
                return id
            }
            let targetID = row.entryID.flatMap { existing.byID[$0] != nil ? $0 : nil } ?? existing.byQuestion[draft.question.lowercased()]
            if let targetID, let current = try entries.find(targetID, connection) {
                if !row.imageGiven { draft.imageID = current.imageID }
                if categoryID == current.categoryID { draft.category = current.category }
                if draft == EntryDraft(current) {
                    unchanged += 1
                    continue
                }
                _ = try entries.update(targetID, draft, categoryID: categoryID, by: caller.agentID, connection)
                try publication.event(KnowledgeChanged(entryID: KnowledgeEntryID(targetID), change: .upserted))
                updated += 1
            } else {
                let record = try entries.insert(draft, id: UUID(), categoryID: categoryID, by: caller.agentID, sourceSession: nil, connection)
                try publication.event(KnowledgeChanged(entryID: KnowledgeEntryID(record.id), change: .upserted))
                created += 1
            }
        }
        return Self.importResult(created: created, updated: updated, unchanged: unchanged, problems: [])
    }

    func kbExport(_ caller: Caller, _ params: Params, _ connection: PostgresConnection) throws -> JSONValue {
        let format = try params.string("format") ?? "csv"
        guard format == "csv" || format == "json" else { throw Refusal(.invalidParams, "`format` must be csv or json") }
        let records = try connection.query(
            """
            SELECT \(EntryRecord.columns) FROM \(schema).entries e LEFT JOIN \(schema).categories c ON c.id = e.category_id
            ORDER BY c.position NULLS LAST, lower(c.name), e.created_at, e.id
            """
        ).map(EntryRecord.init(row:))
        let bytes = format == "csv" ? Self.csv(records) : Self.json(records)
        let key = try blobs.publish(bytes)
        return .object([
            "blob_key": .string(key),
            "mime_type": .string(format == "csv" ? "text/csv; charset=utf-8" : "application/json"),
            "filename": .string("knowledge.\(format)"),
            "entries": .integer(Int64(records.count)),
            "bytes": .integer(Int64(bytes.count)),
        ])
    }

    static func csv(_ records: [EntryRecord]) -> [UInt8] {
        var writer = CSVWriter()
        writer.append(ImportParser.csvColumns)
        for record in records {
            writer.append([
                record.question, record.similar.joined(separator: "|"), record.answer, record.category ?? "",
                record.enabled ? "true" : "false",
            ])
        }
        return writer.bytes
    }

    static func json(_ records: [EntryRecord]) -> [UInt8] {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        var bytes = Array("[".utf8)
        for (index, record) in records.enumerated() {
            bytes.append(contentsOf: Array((index == 0 ? "\n" : ",\n").utf8))
            bytes.append(contentsOf: (try? encoder.encode(record.json)) ?? Data("{}".utf8))
        }
        bytes.append(contentsOf: Array("\n]\n".utf8))
        return bytes
    }

    private func importTargets(_ connection: PostgresConnection) throws -> (byID: [UUID: String], byQuestion: [String: UUID]) {
        var byID: [UUID: String] = [:]
        var byQuestion: [String: UUID] = [:]
        for row in try connection.query("SELECT id, btrim(question) FROM \(schema).entries") {
            let id = try row.decode(UUID.self, at: 0)
            let question = try row.decode(String.self, at: 1).lowercased()
            byID[id] = question
            byQuestion[question] = id
        }
        return (byID, byQuestion)
    }

    private func categoryIDs(_ connection: PostgresConnection) throws -> [String: UUID] {
        var result: [String: UUID] = [:]
        for row in try connection.query("SELECT id, name FROM \(schema).categories") {
            result[try row.decode(String.self, at: 1).lowercased()] = try row.decode(UUID.self, at: 0)
        }
        return result
    }

    private static func importResult(created: Int, updated: Int, unchanged: Int, problems: [ImportProblem]) -> JSONValue {
        .object([
            "imported": .integer(Int64(created + updated + unchanged)),
            "created": .integer(Int64(created)),
            "updated": .integer(Int64(updated)),
            "unchanged": .integer(Int64(unchanged)),
            "error_count": .integer(Int64(problems.count)),
            "errors": .array(problems.prefix(maxReportedErrors).map { problem in
                .object(["line": .integer(Int64(problem.line)), "message": .string(problem.message)])
            }),
        ])
    }
}

import Foundation
import KefuModel

/// One valid row of an import: the checked entry and where it came from.
struct ImportRow: Sendable {
    var line: Int
    var draft: EntryDraft
    /// An entry id given in a JSON import (the entry to update).
    var entryID: UUID?
    /// Whether the file says which image the entry has (JSON `image`); otherwise an updated entry keeps its image.
    var imageGiven = false
}

/// A row that cannot be imported, and why.
struct ImportProblem: Sendable, Equatable {
    var line: Int
    var message: String
}

/// Turns an uploaded file into checked rows. CSV: UTF-8 with or without BOM, RFC 4180, a header naming
/// the columns `question`, `similar_questions`, `answer`, `category`, `enabled` (any order; `question` and
/// `answer` required), similar questions separated by `|`. JSON: an array of objects with `question`,
/// `similar` (or `similar_questions`), `answer`, `category`, `enabled`, optionally `entry_id` and `image`
/// (what `kb.export` writes; its bookkeeping members are ignored).
enum ImportParser {
    /// The most rows one import may hold.
    static let maxRows = 10_000

    static let csvColumns = ["question", "similar_questions", "answer", "category", "enabled"]

    /// The checked rows and every problem, by line.
    static func parse(_ bytes: [UInt8], format: String) throws -> (rows: [ImportRow], problems: [ImportProblem]) {
        switch format {
        case "csv": return parseCSV(bytes)
        case "json": return parseJSON(bytes)
        default: throw Refusal(.invalidParams, "`format` must be csv or json")
        }
    }

    static func parseCSV(_ bytes: [UInt8]) -> (rows: [ImportRow], problems: [ImportProblem]) {
        let (records, csvProblems) = CSVReader.read(bytes)
        var problems = csvProblems.map { ImportProblem(line: $0.line, message: $0.message) }
        guard let header = records.first, header.line == 1 else {
            problems.insert(ImportProblem(line: 1, message: "the first line must be the header: \(csvColumns.joined(separator: ","))"), at: 0)
            return ([], problems)
        }
        let names = header.fields.map { $0.trimmingWhitespace().lowercased() }
        var column: [String: Int] = [:]
        for (index, name) in names.enumerated() {
            guard csvColumns.contains(name) else {
                return ([], [ImportProblem(line: 1, message: "unknown column \"\(name)\"; the columns are \(csvColumns.joined(separator: ","))")])
            }
            guard column[name] == nil else { return ([], [ImportProblem(line: 1, message: "the column \(name) appears twice")]) }
            column[name] = index
        }
        guard column["question"] != nil, column["answer"] != nil else {
            return ([], [ImportProblem(line: 1, message: "the header must name at least the columns question and answer")])
        }
        var rows: [ImportRow] = []
        for record in records.dropFirst() {
            if record.fields.allSatisfy({ $0.trimmingWhitespace().isEmpty }) { continue }
            guard record.fields.count == names.count else {
                problems.append(ImportProblem(line: record.line, message: "expected \(names.count) fields, got \(record.fields.count)"))
                continue
            }
            let value = { (name: String) -> String? in column[name].map { CSVWriter.unguard(record.fields[$0]) } }
            do {
                let similar = (value("similar_questions") ?? "").split(separator: "|").map(String.init)
                    .filter { !$0.trimmingWhitespace().isEmpty }
                let draft = try EntryDraft(
                    question: value("question") ?? "", similar: similar, answer: value("answer") ?? "", imageID: nil,
                    category: value("category"), enabled: try enabled(value("enabled")))
                rows.append(ImportRow(line: record.line, draft: draft))
            } catch let refusal as Refusal {
                problems.append(ImportProblem(line: record.line, message: refusal.message))
            } catch {
                problems.append(ImportProblem(line: record.line, message: "\(error)"))
            }
        }
        return (rows, problems.sorted { $0.line < $1.line })
    }

    static func parseJSON(_ bytes: [UInt8]) -> (rows: [ImportRow], problems: [ImportProblem]) {
        var body = bytes[...]
        if body.starts(with: [0xEF, 0xBB, 0xBF]) { body = body.dropFirst(3) }
        let items: [JSONValue]
        do {
            items = try JSONDecoder().decode([JSONValue].self, from: Data(body))
        } catch {
            return ([], [ImportProblem(line: 1, message: "the file is not a JSON array of entries: \(Self.describe(error))")])
        }
        let lines = JSONLines.elementStarts(Array(body))
        var rows: [ImportRow] = []
        var problems: [ImportProblem] = []
        for (position, item) in items.enumerated() {
            let line = position < lines.count ? lines[position] : position + 1
            do {
                rows.append(try jsonRow(item, line: line))
            } catch let refusal as Refusal {
                problems.append(ImportProblem(line: line, message: refusal.message))
            } catch {
                problems.append(ImportProblem(line: line, message: "\(error)"))
            }
        }
        return (rows, problems)
    }

    private static let jsonMembers: Set<String> = [
        "entry_id", "question", "similar", "similar_questions", "answer", "category", "enabled", "image",
        "revision", "created_by", "updated_by", "created_at", "updated_at", "source_session_id",
    ]

    private static func jsonRow(_ item: JSONValue, line: Int) throws -> ImportRow {
        guard let members = item.objectValue else { throw Refusal(.invalidParams, "each entry must be a JSON object") }
        if let unknown = members.keys.sorted().first(where: { !jsonMembers.contains($0) }) {
            throw Refusal(.invalidParams, "unknown member \"\(unknown)\"")
        }
        let params = Params(members)
        let similar = try params.strings("similar") ?? params.strings("similar_questions") ?? []
        var imageID: UUID?
        if let image = members["image"], image != .null {
            guard let text = image["image_id"]?.stringValue, let id = UUID(uuidString: text) else {
                throw Refusal(.invalidParams, "`image` must be { \"image_id\": <uuid> }")
            }
            imageID = id
        }
        let draft = try EntryDraft(
            question: try params.requiredString("question"), similar: similar, answer: try params.requiredString("answer"),
            imageID: imageID, category: try params.string("category"), enabled: try params.bool("enabled") ?? true)
        return ImportRow(line: line, draft: draft, entryID: try params.uuid("entry_id"), imageGiven: members["image"] != nil)
    }

    /// The `enabled` column: empty means enabled.
    static func enabled(_ text: String?) throws -> Bool {
        switch (text ?? "").trimmingWhitespace().lowercased() {
        case "", "true", "1", "yes", "y", "是", "启用": return true
        case "false", "0", "no", "n", "否", "停用", "禁用": return false
        default: throw Refusal(.invalidParams, "enabled must be true or false, got \"\(text ?? "")\"")
        }
    }

    private static func describe(_ error: any Error) -> String {
        if case DecodingError.dataCorrupted(let context) = error {
            return (context.underlyingError.map { "\($0)" } ?? context.debugDescription)
        }
        if case DecodingError.typeMismatch(_, let context) = error { return context.debugDescription }
        return "\(error)"
    }
}

import Foundation
import KefuModel
import Postgres

/// `kb_words.list`, `.create`, `.delete`, `.import` (admin): the admins' segmentation words (词库). Every change
/// bumps the lexicon revision in the same transaction, so every instance rebuilds its matcher before it
/// matches again.
extension KnowledgeEngine {
    func wordsList(_ caller: Caller, _ params: Params, _ connection: PostgresConnection) throws -> JSONValue {
        let limit = try params.limit()
        let q = try params.string("q").map { KnowledgeTextNormalizer.foldingTraditional.normalize($0) }.flatMap { $0.isEmpty ? nil : $0 }
        let rows = try connection.query(
            """
            SELECT id, word, frequency, created_by, created_at FROM \(schema).domain_words
            WHERE ($1::text IS NULL OR strpos(word, $1) > 0) AND ($2::text IS NULL OR word > $2)
            ORDER BY word LIMIT $3
            """,
            [q, try params.string("cursor"), limit + 1])
        let items = try rows.prefix(limit).map { row in
            (json: try Self.wordJSON(row), cursor: try row.decode(String.self, at: 1))
        }
        return Paging.page(items, limit: limit, hasMore: rows.count > limit)
    }

    func wordCreate(_ caller: Caller, _ params: Params, _ connection: PostgresConnection) throws -> JSONValue {
        let word: String
        let frequency: Int?
        do {
            word = try LexiconRules.word(try params.requiredString("word"))
            frequency = try params.int("frequency", in: 1...LexiconRules.maxFrequency)
        } catch let error as LexiconRuleError {
            throw Refusal(.invalidParams, error.description)
        }
        let rows = try connection.query(
            """
            INSERT INTO \(schema).domain_words (id, word, frequency, created_by) VALUES ($1, $2, $3, $4)
            ON CONFLICT (word) DO NOTHING
            RETURNING id, word, frequency, created_by, created_at
            """,
            [UUID(), word, frequency, caller.agentID])
        guard let row = rows.first else { throw Refusal(.duplicateWord, "the word \(word) is already in the dictionary") }
        lexicon.queueChange(connection)
        return try Self.wordJSON(row)
    }

    func wordDelete(_ caller: Caller, _ params: Params, _ connection: PostgresConnection) throws -> JSONValue {
        let id = try params.requiredUUID("word_id")
        guard try connection.execute("DELETE FROM \(schema).domain_words WHERE id = $1", [id]) == 1 else {
            throw Refusal(.unknownWord, "there is no dictionary word \(id.lowercasedString)")
        }
        lexicon.queueChange(connection)
        return .object([:])
    }

    /// Adds the good lines, reports the bad ones with their numbers; a word already stored takes the file's
    /// frequency. All good lines go in with this transaction, or none.
    func wordsImport(_ caller: Caller, _ params: Params, _ connection: PostgresConnection) throws -> JSONValue {
        var problems: [ImportProblem] = []
        var words: [DomainWord] = []
        var firstLine: [String: Int] = [:]
        for (number, line) in try LexiconRules.importLines(try blobs.consume(try params.requiredString("blob_key"))) {
            do {
                let word = try LexiconRules.wordLine(line)
                if let first = firstLine[word.word] {
                    problems.append(ImportProblem(line: number, message: "the same word as line \(first)"))
                    continue
                }
                firstLine[word.word] = number
                words.append(word)
            } catch {
                problems.append(ImportProblem(line: number, message: "\(error)"))
            }
        }
        var stored: [String: Int?] = [:]
        if !words.isEmpty {
            for row in try connection.query(
                "SELECT word, frequency FROM \(schema).domain_words WHERE word = ANY(ARRAY(SELECT jsonb_array_elements_text($1::jsonb)))",
                [JSONText.array(words.map(\.word))]
            ) {
                stored[try row.decode(String.self, at: 0)] = try row.decode(Int?.self, at: 1)
            }
        }
        let changed = words.filter { word in stored[word.word].map { $0 != word.frequency } ?? true }
        if !changed.isEmpty {
            let records: JSONValue = .array(changed.map { word in
                .object(["word": .string(word.word), "frequency": word.frequency.map { .integer(Int64($0)) } ?? .null])
            })
            connection.queue(
                """
                INSERT INTO \(schema).domain_words (id, word, frequency, created_by)
                SELECT gen_random_uuid(), r.word, r.frequency, $2 FROM jsonb_to_recordset($1::jsonb) AS r(word text, frequency integer)
                ON CONFLICT (word) DO UPDATE SET frequency = EXCLUDED.frequency
                """,
                [JSONText.encode(records), caller.agentID])
            lexicon.queueChange(connection)
        }
        let updated = changed.filter { stored[$0.word] != nil }.count
        return Self.lexiconImportResult(
            added: changed.count - updated, updated: updated, unchanged: words.count - changed.count, problems: problems)
    }

    /// `{ imported, added, updated, unchanged, error_count, errors: [{ line, message }] }`.
    static func lexiconImportResult(added: Int, updated: Int, unchanged: Int, problems: [ImportProblem]) -> JSONValue {
        .members([
            ("imported", .integer(Int64(added + updated + unchanged))),
            ("added", .integer(Int64(added))),
            ("updated", .integer(Int64(updated))),
            ("unchanged", .integer(Int64(unchanged))),
            ("error_count", .integer(Int64(problems.count))),
            ("errors", .array(problems.prefix(LexiconRules.maxReportedErrors).map { problem in
                .object(["line": .integer(Int64(problem.line)), "message": .string(problem.message)])
            })),
        ])
    }

    private static func wordJSON(_ row: PostgresRow) throws -> JSONValue {
        .members([
            ("word_id", .string(try row.decode(UUID.self, at: 0).lowercasedString)),
            ("word", .string(try row.decode(String.self, at: 1))),
            ("frequency", try row.decode(Int?.self, at: 2).map { .integer(Int64($0)) }),
            ("created_by", .string(try row.decode(UUID.self, at: 3).lowercasedString)),
            ("created_at", .time(try row.decode(Date.self, at: 4))),
        ])
    }
}

import Foundation
import KefuModel
import Postgres

/// `kb_synonyms.list`, `.create`, `.delete`, `.import` (admin): the admins' synonym groups (同义词). A word
/// belongs to at most one group (as its canonical word or a variant). Every change bumps the lexicon revision
/// in the same transaction, so the next bot question on any instance uses it.
extension KnowledgeEngine {
    func synonymsList(_ caller: Caller, _ params: Params, _ connection: PostgresConnection) throws -> JSONValue {
        let limit = try params.limit()
        let q = try params.string("q").map { KnowledgeTextNormalizer.foldingTraditional.normalize($0) }.flatMap { $0.isEmpty ? nil : $0 }
        let rows = try connection.query(
            """
            SELECT \(Self.synonymColumns) FROM \(schema).synonym_groups
            WHERE ($1::text IS NULL OR strpos(canonical, $1) > 0 OR strpos(array_to_string(variants, ' '), $1) > 0)
              AND ($2::text IS NULL OR canonical > $2)
            ORDER BY canonical LIMIT $3
            """,
            [q, try params.string("cursor"), limit + 1])
        let items = try rows.prefix(limit).map { row in
            (json: try Self.synonymJSON(row), cursor: try row.decode(String.self, at: 1))
        }
        return Paging.page(items, limit: limit, hasMore: rows.count > limit)
    }

    func synonymCreate(_ caller: Caller, _ params: Params, _ connection: PostgresConnection) throws -> JSONValue {
        let group: SynonymGroup
        do {
            group = try LexiconRules.group([try params.requiredString("canonical")] + (try params.strings("variants") ?? []))
        } catch let error as LexiconRuleError {
            throw Refusal(.invalidParams, error.description)
        }
        let owners = try synonymOwners(of: group.words, connection)
        if let word = group.words.first(where: { owners[$0] != nil }), let owner = owners[word] {
            throw Refusal(.duplicateSynonym, "'\(word)' is already in the synonym group of '\(owner.canonical)'")
        }
        let id = UUID()
        connection.queue(
            """
            INSERT INTO \(schema).synonym_groups (id, canonical, variants, created_by, updated_by)
            VALUES ($1, $2, ARRAY(SELECT jsonb_array_elements_text($3::jsonb)), $4, $4)
            """,
            [id, group.canonical, JSONText.array(group.variants), caller.agentID])
        lexicon.queueChange(connection)
        let now = JSONValue.time(Date())
        return .members([
            ("synonym_id", .string(id.lowercasedString)), ("canonical", .string(group.canonical)),
            ("variants", .array(group.variants.map(JSONValue.string))),
            ("created_by", .string(caller.agentID.lowercasedString)), ("created_at", now),
            ("updated_by", .string(caller.agentID.lowercasedString)), ("updated_at", now),
        ])
    }

    func synonymDelete(_ caller: Caller, _ params: Params, _ connection: PostgresConnection) throws -> JSONValue {
        let id = try params.requiredUUID("synonym_id")
        guard try connection.execute("DELETE FROM \(schema).synonym_groups WHERE id = $1", [id]) == 1 else {
            throw Refusal(.unknownSynonym, "there is no synonym group \(id.lowercasedString)")
        }
        lexicon.queueChange(connection)
        return .object([:])
    }

    /// Adds the good lines, reports the bad ones with their numbers. A line whose canonical word already has a
    /// group adds its new variants to it; a word of another group makes the line bad. All good lines go in
    /// with this transaction, or none.
    func synonymsImport(_ caller: Caller, _ params: Params, _ connection: PostgresConnection) throws -> JSONValue {
        var problems: [ImportProblem] = []
        var parsed: [(line: Int, group: SynonymGroup)] = []
        for (number, line) in try LexiconRules.importLines(try blobs.consume(try params.requiredString("blob_key"))) {
            do {
                parsed.append((number, try LexiconRules.synonymLine(line)))
            } catch {
                problems.append(ImportProblem(line: number, message: "\(error)"))
            }
        }
        let stored = try synonymOwners(of: Array(Set(parsed.flatMap(\.group.words))), connection)
        var owner = stored.mapValues(\.canonical)
        var variants: [String: [String]] = [:]
        for (word, group) in stored where word == group.canonical { variants[word] = group.variants }
        var changed: [String] = []
        var added = 0, updated = 0, unchanged = 0
        for (line, group) in parsed {
            if let word = group.words.first(where: { owner[$0].map { $0 != group.canonical } ?? false }), let other = owner[word] {
                problems.append(ImportProblem(line: line, message: "'\(word)' is already in the synonym group of '\(other)'"))
                continue
            }
            let current = variants[group.canonical]
            let new = group.variants.filter { !(current ?? []).contains($0) }
            guard !new.isEmpty else { unchanged += 1; continue }
            guard (current?.count ?? 0) + new.count <= LexiconRules.maxVariants else {
                problems.append(ImportProblem(line: line, message: "\(LexiconRuleError.tooManyVariants((current?.count ?? 0) + new.count))"))
                continue
            }
            if current == nil { added += 1 } else { updated += 1 }
            variants[group.canonical] = (current ?? []) + new
            for word in group.words { owner[word] = group.canonical }
            if !changed.contains(group.canonical) { changed.append(group.canonical) }
        }
        if !changed.isEmpty {
            let records: JSONValue = .array(changed.map { canonical in
                .object(["canonical": .string(canonical), "variants": .array((variants[canonical] ?? []).map(JSONValue.string))])
            })
            connection.queue(
                """
                INSERT INTO \(schema).synonym_groups (id, canonical, variants, created_by, updated_by)
                SELECT gen_random_uuid(), r.canonical, r.variants, $2, $2
                FROM jsonb_to_recordset($1::jsonb) AS r(canonical text, variants text[])
                ON CONFLICT (canonical) DO UPDATE SET variants = EXCLUDED.variants, updated_by = EXCLUDED.updated_by, updated_at = now()
                """,
                [JSONText.encode(records), caller.agentID])
            lexicon.queueChange(connection)
        }
        problems.sort { $0.line < $1.line }
        return Self.lexiconImportResult(added: added, updated: updated, unchanged: unchanged, problems: problems)
    }

    /// The stored groups holding any of `words`, by each of their words.
    private func synonymOwners(of words: [String], _ connection: PostgresConnection) throws -> [String: SynonymGroup] {
        guard !words.isEmpty else { return [:] }
        let rows = try connection.query(
            """
            SELECT canonical, array_to_json(variants)::text FROM \(schema).synonym_groups
            WHERE canonical = ANY(ARRAY(SELECT jsonb_array_elements_text($1::jsonb)))
               OR variants && ARRAY(SELECT jsonb_array_elements_text($1::jsonb))
            """,
            [JSONText.array(words)])
        var owners: [String: SynonymGroup] = [:]
        for row in rows {
            let group = SynonymGroup(canonical: try row.decode(String.self, at: 0), variants: try JSONText.strings(try row.decode(String.self, at: 1)))
            for word in group.words { owners[word] = group }
        }
        return owners
    }

    private static let synonymColumns = "id, canonical, array_to_json(variants)::text, created_by, created_at, updated_by, updated_at"

    private static func synonymJSON(_ row: PostgresRow) throws -> JSONValue {
        .members([
            ("synonym_id", .string(try row.decode(UUID.self, at: 0).lowercasedString)),
            ("canonical", .string(try row.decode(String.self, at: 1))),
            ("variants", .array(try JSONText.strings(try row.decode(String.self, at: 2)).map(JSONValue.string))),
            ("created_by", .string(try row.decode(UUID.self, at: 3).lowercasedString)),
            ("created_at", .time(try row.decode(Date.self, at: 4))),
            ("updated_by", .string(try row.decode(UUID.self, at: 5).lowercasedString)),
            ("updated_at", .time(try row.decode(Date.self, at: 6))),
        ])
    }
}

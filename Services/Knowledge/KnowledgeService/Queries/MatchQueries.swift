import Foundation
import KefuModel
import Postgres

/// A matched entry, current as of the handler's transaction.
struct Candidate: Sendable {
    var record: EntryRecord
    /// Confidence 0…1.
    var confidence: Double
}

/// Matching: `kb.test`, `assist.suggest`, the bot's answers and smart assist share ``candidates(for:limit:minimum:_:)``.
extension KnowledgeEngine {
    /// Up to `limit` enabled entries matching `text` with at least `minimum` confidence, best first. The
    /// matcher ranks; PostgreSQL supplies the current answer (an entry deleted or disabled a moment ago is
    /// skipped even if this instance's matcher has not heard yet).
    func candidates(for text: String, limit: Int, minimum: Double, _ connection: PostgresConnection) throws -> [Candidate] {
        try prepareIndex(connection)
        let hits = index.search(text, limit: limit * 2 + 2).filter { $0.confidence >= minimum }
        let ids = hits.compactMap(\.uuid)
        let records = try entries.find(ids, enabledOnly: true, connection)
        var result: [Candidate] = []
        for hit in hits {
            guard let id = hit.uuid, let record = records[id] else { continue }
            result.append(Candidate(record: record, confidence: Self.rounded(hit.confidence)))
            if result.count == limit { break }
        }
        return result
    }

    func kbTest(_ caller: Caller, _ params: Params, _ connection: PostgresConnection) throws -> JSONValue {
        let question = try TextRules.text(try params.requiredString("question"), field: "question", max: TextRules.maxQuery, multiline: true)
        let limit = try params.int("limit", in: 1...20) ?? 5
        let matches = try candidates(for: question, limit: limit, minimum: 0, connection)
            .enumerated().sorted { lhs, rhs in
                lhs.element.confidence != rhs.element.confidence ? lhs.element.confidence > rhs.element.confidence : lhs.offset < rhs.offset
            }.map(\.element)
        let answer = index.answer(question, threshold: settings.threshold)
        let best = matches.first { $0.record.id == answer?.uuid }
        return .members([
            ("answered", .bool(best != nil)),
            ("entry_id", best.map { .string($0.record.id.lowercasedString) }),
            ("answer", best.map { .string($0.record.answer) }),
            ("threshold", .number(settings.threshold)),
            ("matches", .array(matches.map { candidate in
                .object([
                    "entry_id": .string(candidate.record.id.lowercasedString),
                    "question": .string(candidate.record.question),
                    "score": .number(candidate.confidence),
                ])
            })),
        ])
    }

    func assistSuggest(_ caller: Caller, _ params: Params, _ connection: PostgresConnection) throws -> JSONValue {
        let text = try TextRules.text(try params.requiredString("text"), field: "text", max: TextRules.maxQuery, multiline: true)
        let suggestions = try self.suggestions(for: text, connection)
        return .object(["suggestions": .array(suggestions.map { suggestion in
            .object([
                "entry_id": .string(suggestion.entryID.description),
                "question": .string(suggestion.question),
                "text": .string(suggestion.text),
                "score": .number(suggestion.score),
            ])
        })])
    }

    /// Up to 3 smart-assist suggestions for `text`, as few as keep `assist.suggested` within a stream entry.
    func suggestions(for text: String, _ connection: PostgresConnection) throws -> [AssistSuggestion] {
        try candidates(for: text, limit: 3, minimum: settings.assistMinScore, connection).map {
            AssistSuggestion(
                entryID: KnowledgeEntryID($0.record.id), question: $0.record.question, text: $0.record.answer,
                score: $0.confidence)
        }
    }

    /// Confidence with four decimals (what people compare with thresholds).
    static func rounded(_ confidence: Double) -> Double {
        (min(max(confidence, 0), 1) * 10_000).rounded() / 10_000
    }
}

import Foundation
import Postgres

/// The SQL of the admins' words and synonyms (`domain_words`, `synonym_groups`, `lexicon_state`).
struct LexiconStore: Sendable {
    /// The schema, `knowledge`.
    let schema: String

    /// Everything, with the revision it was read at (one transaction, so they agree).
    func load(_ connection: PostgresConnection) throws -> AdminLexicon {
        let results = try connection.pipeline([
            PostgresStatement("SELECT revision FROM \(schema).lexicon_state"),
            PostgresStatement("SELECT word, frequency FROM \(schema).domain_words ORDER BY word"),
            PostgresStatement("SELECT canonical, array_to_json(variants)::text FROM \(schema).synonym_groups ORDER BY canonical"),
        ])
        return AdminLexicon(
            revision: try results[0].first?.decode(Int64.self, at: 0) ?? 0,
            words: try results[1].map { DomainWord(word: try $0.decode(String.self, at: 0), frequency: try $0.decode(Int?.self, at: 1)) },
            synonyms: try results[2].map {
                SynonymGroup(canonical: try $0.decode(String.self, at: 0), variants: try JSONText.strings(try $0.decode(String.self, at: 1)))
            })
    }

    /// The revision of the last change (to send in a pipeline with other reads).
    static func revisionStatement(_ schema: String) -> PostgresStatement {
        PostgresStatement("SELECT revision FROM \(schema).lexicon_state")
    }

    /// The revision of the last change.
    func revision(_ connection: PostgresConnection) throws -> Int64 {
        try connection.query("SELECT revision FROM \(schema).lexicon_state").first?.decode(Int64.self, at: 0) ?? 0
    }

    /// Queues the revision bump that tells every instance to rebuild its matcher (it rides with the COMMIT).
    func queueChange(_ connection: PostgresConnection) {
        connection.queue("UPDATE \(schema).lexicon_state SET revision = revision + 1")
    }
}

import Foundation

/// The admins' words and synonym groups as stored in PostgreSQL, with the revision of the last change.
struct AdminLexicon: Sendable, Equatable {
    /// `lexicon_state.revision` when read (0: nothing ever changed).
    var revision: Int64 = 0
    var words: [DomainWord] = []
    var synonyms: [SynonymGroup] = []

    /// `base` (the bundled tables plus the configured files) with these words and synonyms added after it.
    func tokenizer(over base: KnowledgeTokenizer) -> KnowledgeTokenizer {
        guard !words.isEmpty || !synonyms.isEmpty else { return base }
        var language = base.language
        var lexicon = base.lexicon
        if !words.isEmpty {
            language.addWords(words.map { "\($0.word) \($0.frequency ?? KnowledgeLanguage.defaultWordFrequency)" }.joined(separator: "\n"))
        }
        if !synonyms.isEmpty {
            lexicon.addSynonyms(synonyms.map { $0.words.joined(separator: " ") }.joined(separator: "\n"), normalizer: base.normalizer)
        }
        return KnowledgeTokenizer(normalizer: base.normalizer, lexicon: lexicon, language: language, features: base.features, english: base.english)
    }
}

import Foundation
import ServiceRuntime

/// The knowledge service's own settings, read from the environment next to the shared ones.
///
/// | variable | default | meaning |
/// |---|---|---|
/// | `KEFU_KNOWLEDGE_THRESHOLD` | ``defaultThreshold`` | minimum confidence (0–1) for a bot answer |
/// | `KEFU_KNOWLEDGE_SUGGEST_THRESHOLD` | ``defaultSuggestThreshold`` | from this confidence up to the threshold the bot offers 猜你想问 choices instead of answering |
/// | `KEFU_KNOWLEDGE_SIMILAR_THRESHOLD` | ``defaultSimilarThreshold`` | minimum confidence for `kb.capture` to add a question to an existing entry |
/// | `KEFU_KNOWLEDGE_ASSIST_MIN_SCORE` | ``defaultAssistMinScore`` | minimum confidence of a smart-assist suggestion |
/// | `KEFU_KNOWLEDGE_WORDS` | none | path of an admin word list (`word [frequency]` per line) added to the segmentation dictionary |
/// | `KEFU_KNOWLEDGE_SYNONYMS` | none | path of an admin synonym list (`canonical variant…` per line) added to the bundled ones |
/// | `KEFU_KNOWLEDGE_RECONCILE_SECONDS` | `300` | how often each instance compares its matcher with PostgreSQL (10–86400) |
public struct KnowledgeSettings: Sendable, Equatable {
    /// Default minimum confidence of a bot answer: the engine's, chosen on the evaluation set
    /// (`docs/performance.md`).
    public static let defaultThreshold = KnowledgeBM25Configuration().answerThreshold
    /// Default lower bound of the 猜你想问 band (the engine's).
    public static let defaultSuggestThreshold = KnowledgeBM25Configuration().suggestionThreshold
    /// Default minimum confidence for adding a captured question as a similar question of an entry: the
    /// bot's threshold (a question the bot would answer with that entry is close to it).
    public static let defaultSimilarThreshold = defaultThreshold
    /// Default minimum confidence of a smart-assist suggestion, chosen on the evaluation set: the right entry
    /// is still among the suggestions for 93.4 % of answerable questions, and 55 % of questions without a
    /// right entry get no suggestion (`docs/performance.md`).
    public static let defaultAssistMinScore = 0.35

    /// Minimum confidence of a bot answer.
    public var threshold: Double
    /// Minimum confidence of a 猜你想问 choice (answers below ``threshold`` offer choices from here).
    public var suggestThreshold: Double = defaultSuggestThreshold
    /// Minimum confidence for `kb.capture` with `entry_id`.
    public var similarThreshold: Double
    /// Minimum confidence of a smart-assist suggestion.
    public var assistMinScore: Double
    /// Admin word list (`KEFU_KNOWLEDGE_WORDS`), read at start.
    public var wordsFile: String?
    /// Admin synonym list (`KEFU_KNOWLEDGE_SYNONYMS`), read at start.
    public var synonymsFile: String?
    /// How often the matcher is reconciled with PostgreSQL.
    public var reconcileInterval: Duration

    /// The defaults.
    public init(
        threshold: Double = defaultThreshold, similarThreshold: Double = defaultSimilarThreshold,
        assistMinScore: Double = defaultAssistMinScore, reconcileInterval: Duration = .seconds(300)
    ) {
        self.threshold = threshold
        self.similarThreshold = similarThreshold
        self.assistMinScore = assistMinScore
        self.reconcileInterval = reconcileInterval
    }

    /// Reads the variables; a set but unusable value throws naming the variable.
    public static func fromEnvironment(_ reader: ConfigReader = ConfigReader()) throws(ConfigError) -> KnowledgeSettings {
        var settings = KnowledgeSettings(
            threshold: try Self.fraction(reader, "KEFU_KNOWLEDGE_THRESHOLD", Self.defaultThreshold),
            similarThreshold: try Self.fraction(reader, "KEFU_KNOWLEDGE_SIMILAR_THRESHOLD", Self.defaultSimilarThreshold),
            assistMinScore: try Self.fraction(reader, "KEFU_KNOWLEDGE_ASSIST_MIN_SCORE", Self.defaultAssistMinScore),
            reconcileInterval: .seconds(try reader.int("KEFU_KNOWLEDGE_RECONCILE_SECONDS", default: 300, range: 10...86_400)))
        settings.suggestThreshold = try Self.fraction(reader, "KEFU_KNOWLEDGE_SUGGEST_THRESHOLD", Self.defaultSuggestThreshold)
        settings.wordsFile = try Self.readableFile(reader, "KEFU_KNOWLEDGE_WORDS")
        settings.synonymsFile = try Self.readableFile(reader, "KEFU_KNOWLEDGE_SYNONYMS")
        return settings
    }

    private static func readableFile(_ reader: ConfigReader, _ variable: String) throws(ConfigError) -> String? {
        guard let path = reader.raw(variable), !path.isEmpty else { return nil }
        guard FileManager.default.isReadableFile(atPath: path) else {
            throw .invalid(variable: variable, value: path, reason: "not a readable file")
        }
        return path
    }

    /// The matcher's tokenizer: the bundled tables plus the admin word and synonym lists. Bad lines are
    /// returned with their file and number (line 0: the file could not be read); the rest is applied.
    public func tokenizer() -> (tokenizer: KnowledgeTokenizer, badLines: [(file: String, error: KnowledgeDataLineError)]) {
        var language = KnowledgeLanguage.bundled
        var lexicon = KnowledgeLexicon.standard
        var bad: [(file: String, error: KnowledgeDataLineError)] = []
        func read(_ path: String) -> String? {
            do { return try String(contentsOfFile: path, encoding: .utf8) } catch {
                bad.append((path, KnowledgeDataLineError(line: 0, message: "cannot read the file as UTF-8 text")))
                return nil
            }
        }
        if let wordsFile, let text = read(wordsFile) {
            bad += language.addWords(text).map { (wordsFile, $0) }
        }
        if let synonymsFile, let text = read(synonymsFile) {
            bad += lexicon.addSynonyms(text, normalizer: .foldingTraditional).map { (synonymsFile, $0) }
        }
        return (KnowledgeTokenizer(lexicon: lexicon, language: language), bad)
    }

    private static func fraction(_ reader: ConfigReader, _ variable: String, _ fallback: Double) throws(ConfigError) -> Double {
        guard let text = reader.raw(variable) else { return fallback }
        guard let value = Double(text), value.isFinite, (0...1).contains(value) else {
            throw .invalid(variable: variable, value: text, reason: "expected a number from 0 to 1")
        }
        return value
    }
}

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
    /// is still among the suggestions for 94.3 % of answerable questions, and 53 % of questions without a
    /// right entry get no suggestion (`docs/performance.md`).
    public static let defaultAssistMinScore = 0.3

    /// Minimum confidence of a bot answer.
    public var threshold: Double
    /// Minimum confidence of a 猜你想问 choice (answers below ``threshold`` offer choices from here).
    public var suggestThreshold: Double = defaultSuggestThreshold
    /// Minimum confidence for `kb.capture` with `entry_id`.
    public var similarThreshold: Double
    /// Minimum confidence of a smart-assist suggestion.
    public var assistMinScore: Double
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
        return settings
    }

    private static func fraction(_ reader: ConfigReader, _ variable: String, _ fallback: Double) throws(ConfigError) -> Double {
        guard let text = reader.raw(variable) else { return fallback }
        guard let value = Double(text), value.isFinite, (0...1).contains(value) else {
            throw .invalid(variable: variable, value: text, reason: "expected a number from 0 to 1")
        }
        return value
    }
}

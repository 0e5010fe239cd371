import Foundation

/// How a match's 0…1 confidence is derived from the query and the matched question.
///
/// Coverage is an IDF-weighted F-measure of query coverage (share of the query's weight found in
/// the question) and question coverage (share of the question's weight found in the query);
/// `beta` < 1 favours query coverage. Query tokens unknown to the index count with the maximum IDF.
/// Evidence is `1 - exp(-score / (evidenceScale * maxIDF))`: it grows with the amount of rare,
/// matched vocabulary independently of how much else the visitor wrote, which rescues long,
/// rambling questions that coverage alone under-rates.
public enum KnowledgeConfidenceModel: Sendable, Equatable {
    /// Coverage F-measure only.
    case coverage(beta: Double)
    /// `(1 - evidenceShare) * coverage + evidenceShare * evidence`.
    case coverageAndEvidence(beta: Double, evidenceShare: Double, evidenceScale: Double)
    /// A logistic model of the probability that the match is the right answer (``KnowledgeCalibration``).
    case logistic(KnowledgeCalibration)
}

/// A calibrated confidence: `1 / (1 + exp(-(bias + Σ weight × feature)))` over the match's query coverage,
/// question coverage, entry coverage, evidence and unmatched-word shares. Fitted on labelled sets (`docs/performance.md`), so
/// a confidence of 0.7 means about 7 answers in 10 at that level were right there. Every feature is a share
/// (0…1) of IDF weights within the query or question, so its meaning does not depend on the knowledge base's size.
public struct KnowledgeCalibration: Sendable, Equatable {
    /// Intercept.
    public var bias: Double
    /// Weight of the query coverage.
    public var queryCoverage: Double
    /// Weight of the question coverage.
    public var questionCoverage: Double
    /// Weight of the evidence.
    public var evidence: Double
    /// Weight of the unmatched known word: the largest query word the matched question lacks but other entries
    /// use. Fitted positive: the query coverage already counts every unmatched word against the match, and a
    /// word the knowledge base does not know at all (out of scope, a near-miss's new subject) is the stronger
    /// sign against an answer, so known words are given some of that back.
    public var unmatchedWordShare: Double
    /// Weight of the unmatched word, known or not: the heaviest query word the matched question lacks (messages
    /// shorter than ``KnowledgeBM25Configuration/questionFocusMinimumLength`` only). Fitted negative: the near-miss
    /// guard (a visitor naming a subject the entry does not mention asks something else).
    public var unmatchedAnyWordShare: Double = 0
    /// Weight of the entry coverage (the query's weight found in any of the entry's questions, not only the best one).
    public var entryCoverage: Double = 0
    /// Evidence scale, as in ``KnowledgeConfidenceModel/coverageAndEvidence(beta:evidenceShare:evidenceScale:)``.
    public var evidenceScale: Double

    /// Creates a calibration.
    public init(
        bias: Double, queryCoverage: Double, questionCoverage: Double, evidence: Double, unmatchedWordShare: Double,
        unmatchedAnyWordShare: Double = 0, entryCoverage: Double = 0, evidenceScale: Double = 4
    ) {
        self.bias = bias
        self.unmatchedAnyWordShare = unmatchedAnyWordShare
        self.entryCoverage = entryCoverage
        self.queryCoverage = queryCoverage
        self.questionCoverage = questionCoverage
        self.evidence = evidence
        self.unmatchedWordShare = unmatchedWordShare
        self.evidenceScale = evidenceScale
    }

    /// Fitted by logistic regression (L2 0.005) on the best match of every phrasing of the e-commerce evaluation set
    /// and the education and banking tuning sets (each set weighted equally; label: the best match is the expected
    /// entry). The unmatched word of any kind (the near-miss guard) and the entry coverage joined the inputs then;
    /// the bias is shifted by +0.042 so that the best top-1 + correct no-answer over the three sets falls at 0.60.
    public static let fitted = KnowledgeCalibration(
        bias: -1.659, queryCoverage: 1.146, questionCoverage: 0.845, evidence: 1.360, unmatchedWordShare: 0.403,
        unmatchedAnyWordShare: -0.568, entryCoverage: 2.220)

    /// The calibration before the near-miss guard and the entry coverage (fitted on the e-commerce and education
    /// sets only), kept for the evaluation's ablation.
    public static let fittedWithoutNearMissGuard = KnowledgeCalibration(
        bias: -2.952, queryCoverage: 3.567, questionCoverage: 1.062, evidence: 2.906, unmatchedWordShare: 0.646)

    func probability(_ features: KnowledgeConfidence) -> Double {
        let linear = bias + queryCoverage * features.queryCoverage + questionCoverage * features.questionCoverage
            + evidence * features.evidence + unmatchedWordShare * features.unmatchedWordShare
            + unmatchedAnyWordShare * features.unmatchedAnyWordShare + entryCoverage * features.entryCoverage
        return 1 / (1 + exp(-linear))
    }
}

/// Tunable parameters of ``KnowledgeBM25Index``. Checked by ``validate()`` when an index is created.
public struct KnowledgeBM25Configuration: Sendable, Equatable {
    /// BM25 term-frequency saturation.
    public var k1: Double = 1.2
    /// BM25 length normalization, 0…1.
    public var b: Double = 0.75
    /// Weight of single CJK characters.
    public var unigramWeight: Double = 1.0
    /// Weight of CJK character pairs.
    public var bigramWeight: Double = 1.0
    /// Weight of CJK dictionary words (``KnowledgeTokenizer/Features/segmentation``).
    public var dictionaryWordWeight: Double = 1.0
    /// Weight of pinyin pairs (``KnowledgeTokenizer/Features/pinyin``); low, since homophones are ambiguous.
    public var pinyinWeight: Double = 0.3
    /// Weight of Latin words.
    public var wordWeight: Double = 1.0
    /// Weight of digit runs (order numbers and amounts rarely identify a question).
    public var numberWeight: Double = 0.2
    /// Weight of the CC-CEDICT translations of an English word (``KnowledgeTokenKind/translation``): below a Chinese
    /// word's, so a translated word never outranks the same word written in Chinese, and a wrong sense helps little.
    public var translationWeight: Double = 0.5
    /// Share of its weight with which an English word counts against the coverage when neither it nor any of its
    /// translations is used by an entry (with ``KnowledgeTokenizer/Features/englishLexicon``): in a Chinese
    /// knowledge base such a word is more often a translation the lexicons lack than a new subject.
    public var untranslatedWordCoverage: Double = 0.5
    /// Share of the other questions' scores added to an entry's best question score (0 = best question only).
    public var siblingWeight: Double = 0.3
    /// Multiplier of CJK bigram and pinyin weights inside the coverage confidence (bigrams spanning two words are noise there).
    public var coverageBigramFactor: Double = 0.25
    /// In messages of at least ``questionFocusMinimumLength`` characters, weigh the clauses that ask
    /// (``KnowledgeQuestionFocus``) over the story around them and drop greetings.
    public var questionFocus: Bool = true
    /// An English word of the query that the glossary translates counts through its translation only: neither the
    /// word (when no entry uses it) nor an unused sense of its translation counts against the coverage.
    public var englishCoverage: Bool = true
    /// Message length (characters) from which ``questionFocus`` applies.
    public var questionFocusMinimumLength: Int = 20
    /// Weight of a story clause's terms (the clauses around the asking one) when ``questionFocus`` applies.
    public var storyClauseWeight: Double = 0.5
    /// A term is "common" (scored only on questions reached by rarer terms) when more than this
    /// share of entries use it and more than ``commonTermMinimumEntries`` do. A latency safeguard for
    /// large knowledge bases; it has no effect below that minimum.
    public var commonTermEntryShare: Double = 0.02
    /// Minimum entry count for a term to be treated as common.
    public var commonTermMinimumEntries: Int = 500
    /// How ``KnowledgeMatch/confidence`` is computed.
    public var confidenceModel: KnowledgeConfidenceModel = .logistic(.fitted)
    /// Default minimum confidence for ``KnowledgeBM25Index/answer(_:threshold:)``: with the calibrated
    /// confidence, answer when about 6 in 10 such answers were right; the best top-1 + correct-no-answer
    /// over the evaluation and tuning sets (`docs/performance.md`).
    public var answerThreshold: Double = 0.6
    /// Below ``answerThreshold`` and at or above this confidence, the bot offers choices (猜你想问) instead of answering.
    public var suggestionThreshold: Double = 0.35
    /// At most this many choices are offered.
    public var suggestionCount: Int = 3
    /// How many top-scored entries ``KnowledgeBM25Index/answer(_:threshold:)`` considers.
    public var answerCandidates: Int = 1

    /// Creates the default configuration.
    public init() {}

    /// Throws ``KnowledgeMatchingError/invalidParameter(name:value:)`` for out-of-range values.
    public func validate() throws(KnowledgeMatchingError) {
        let nonNegative: [(String, Double)] = [
            ("k1", k1), ("unigramWeight", unigramWeight), ("bigramWeight", bigramWeight),
            ("wordWeight", wordWeight), ("numberWeight", numberWeight), ("siblingWeight", siblingWeight),
            ("coverageBigramFactor", coverageBigramFactor), ("dictionaryWordWeight", dictionaryWordWeight),
            ("pinyinWeight", pinyinWeight), ("storyClauseWeight", storyClauseWeight),
            ("translationWeight", translationWeight), ("untranslatedWordCoverage", untranslatedWordCoverage),
        ]
        for (name, value) in nonNegative where !(value >= 0 && value.isFinite) {
            throw .invalidParameter(name: name, value: value)
        }
        guard (0...1).contains(commonTermEntryShare) else {
            throw .invalidParameter(name: "commonTermEntryShare", value: commonTermEntryShare)
        }
        guard commonTermMinimumEntries >= 0 else {
            throw .invalidParameter(name: "commonTermMinimumEntries", value: Double(commonTermMinimumEntries))
        }
        guard (0...1).contains(b) else { throw .invalidParameter(name: "b", value: b) }
        guard (0...1).contains(answerThreshold) else {
            throw .invalidParameter(name: "answerThreshold", value: answerThreshold)
        }
        guard (0...1).contains(suggestionThreshold) else {
            throw .invalidParameter(name: "suggestionThreshold", value: suggestionThreshold)
        }
        guard (1...10).contains(suggestionCount) else {
            throw .invalidParameter(name: "suggestionCount", value: Double(suggestionCount))
        }
        guard answerCandidates >= 1 else {
            throw .invalidParameter(name: "answerCandidates", value: Double(answerCandidates))
        }
        switch confidenceModel {
        case .coverage(let beta):
            try Self.checkBeta(beta)
        case .coverageAndEvidence(let beta, let share, let scale):
            try Self.checkBeta(beta)
            guard (0...1).contains(share) else { throw .invalidParameter(name: "evidenceShare", value: share) }
            guard scale > 0, scale.isFinite else { throw .invalidParameter(name: "evidenceScale", value: scale) }
        case .logistic(let calibration):
            let weights = [
                calibration.bias, calibration.queryCoverage, calibration.questionCoverage, calibration.evidence,
                calibration.unmatchedWordShare, calibration.unmatchedAnyWordShare, calibration.entryCoverage,
            ]
            guard weights.allSatisfy(\.isFinite) else { throw .invalidParameter(name: "calibration", value: .nan) }
            guard calibration.evidenceScale > 0, calibration.evidenceScale.isFinite else {
                throw .invalidParameter(name: "evidenceScale", value: calibration.evidenceScale)
            }
        }
    }

    private static func checkBeta(_ beta: Double) throws(KnowledgeMatchingError) {
        guard beta > 0, beta.isFinite else { throw .invalidParameter(name: "beta", value: beta) }
    }

    /// Entry frequency above which a term counts as common in an index of `entryCount` entries.
    public func commonTermEntries(forEntryCount entryCount: Int) -> Int {
        max(commonTermMinimumEntries, Int(commonTermEntryShare * Double(entryCount)))
    }

    /// The weight of a token kind.
    public func weight(of kind: KnowledgeTokenKind) -> Double {
        switch kind {
        case .cjkUnigram: unigramWeight
        case .cjkBigram: bigramWeight
        case .cjkWord: dictionaryWordWeight
        case .pinyin: pinyinWeight
        case .word: wordWeight
        case .number: numberWeight
        case .translation: translationWeight
        }
    }
}

import ArgumentParser
import Foundation
import KnowledgeService

/// `kefu knowledge-eval DIR…`: the matcher's quality on labelled evaluation sets, offline.
struct KnowledgeEvalCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "knowledge-eval",
        abstract: "Evaluate the knowledge matcher on labelled sets (knowledge-entries.json + visitor-phrasings.json).",
        discussion: """
            Each DIR holds knowledge-entries.json (entries: id, question, similarQuestions) and visitor-phrasings.json \
            (id, text, expectedEntryID or null when the bot must not answer, style). Prints top-1 on the answerable \
            phrasings, correct no-answer on the others and the share right per style, with the default configuration \
            (the service's) unless told otherwise. Needs no database.
            """)

    @Argument(help: "Folders of evaluation sets.")
    var directories: [String]

    @Option(help: "Answer threshold (default: the matcher's default, as KEFU_KNOWLEDGE_THRESHOLD).")
    var threshold: Double?

    @Option(help: "Print up to this many wrong outcomes per set.")
    var failures: Int = 0

    @Flag(help: "Also print thresholds 0.30…0.70 in steps of 0.05.")
    var sweep = false

    @Flag(help: "Also print each feature's effect: the plain matcher, each language feature alone on it, each feature left out.")
    var ablation = false

    /// The matcher variants of `--ablation`: plain, plain + one feature, all − one feature.
    static func variants() -> [(String, KnowledgeBM25Configuration, KnowledgeTokenizer)] {
        let plainLexicon = KnowledgeLexicon.ecommerce
        func tokenizer(folding: Bool, synonyms: Bool, features: KnowledgeTokenizer.Features) -> KnowledgeTokenizer {
            KnowledgeTokenizer(
                normalizer: folding ? .foldingTraditional : KnowledgeTextNormalizer(),
                lexicon: synonyms ? .standard : plainLexicon, language: .bundled, features: features)
        }
        var focusOff = KnowledgeBM25Configuration()
        focusOff.questionFocus = false
        let on = KnowledgeBM25Configuration()
        var englishOff = on
        englishOff.englishCoverage = false
        var guardOff = on
        guardOff.confidenceModel = .logistic(.fittedWithoutNearMissGuard)
        return [
            ("plain", focusOff, .plain),
            ("plain + folding", focusOff, tokenizer(folding: true, synonyms: false, features: [])),
            ("plain + synonyms", focusOff, tokenizer(folding: false, synonyms: true, features: [])),
            ("plain + segmentation", focusOff, tokenizer(folding: false, synonyms: false, features: .segmentation)),
            ("plain + pinyin", focusOff, tokenizer(folding: false, synonyms: false, features: .pinyin)),
            ("plain + English lexicon", focusOff, tokenizer(folding: false, synonyms: false, features: .englishLexicon)),
            ("plain + question focus", on, .plain),
            ("all − folding", on, tokenizer(folding: false, synonyms: true, features: .all)),
            ("all − synonyms", on, tokenizer(folding: true, synonyms: false, features: .all)),
            ("all − segmentation", on, tokenizer(folding: true, synonyms: true, features: .all.subtracting(.segmentation))),
            ("all − pinyin", on, tokenizer(folding: true, synonyms: true, features: .all.subtracting(.pinyin))),
            ("all − English lexicon (CC-CEDICT, base forms, English stop words)", on,
             KnowledgeTokenizer(features: .all.subtracting(.englishLexicon))),
            ("all − question focus", focusOff, KnowledgeTokenizer()),
            ("all − bilingual lexicon", on, KnowledgeTokenizer(lexicon: .standardWithoutBilingual)),
            ("all − English coverage", englishOff, KnowledgeTokenizer()),
            ("all − near-miss guard and entry coverage (previous calibration)", guardOff, KnowledgeTokenizer()),
        ]
    }

    @Option(name: .customLong("set"), help: "Change a matcher parameter for this run, name=value (k1, b, unigramWeight, bigramWeight, dictionaryWordWeight, pinyinWeight, wordWeight, translationWeight, siblingWeight, coverageBigramFactor, storyClauseWeight, answerCandidates); repeatable.")
    var parameters: [String] = []

    /// The default configuration with `--set` applied.
    func configuration() throws -> KnowledgeBM25Configuration {
        var configuration = KnowledgeBM25Configuration()
        let doubles: [String: WritableKeyPath<KnowledgeBM25Configuration, Double>] = [
            "k1": \.k1, "b": \.b, "unigramWeight": \.unigramWeight, "bigramWeight": \.bigramWeight,
            "dictionaryWordWeight": \.dictionaryWordWeight, "pinyinWeight": \.pinyinWeight, "wordWeight": \.wordWeight,
            "translationWeight": \.translationWeight,
            "siblingWeight": \.siblingWeight, "coverageBigramFactor": \.coverageBigramFactor, "storyClauseWeight": \.storyClauseWeight,
        ]
        for parameter in parameters {
            let parts = parameter.split(separator: "=", maxSplits: 1).map(String.init)
            guard parts.count == 2, let value = Double(parts[1]) else { throw CommandFailure("--set \(parameter): expected name=number") }
            if let path = doubles[parts[0]] {
                configuration[keyPath: path] = value
            } else if parts[0] == "answerCandidates" {
                configuration.answerCandidates = Int(value)
            } else {
                throw CommandFailure("--set \(parameter): unknown parameter \(parts[0])")
            }
        }
        do { try configuration.validate() } catch { throw CommandFailure("--set: \(error)") }
        return configuration
    }

    @Option(help: "Append the calibration features of every case's best match to this TSV file (set, case, label, features).")
    var features: String?

    func run() throws {
        for directory in directories {
            let set: KnowledgeEvaluationSet
            do { set = try KnowledgeEvaluationSet(directory: URL(fileURLWithPath: directory)) } catch {
                throw CommandFailure("\(directory): \(error)")
            }
            let index = try set.index(configuration: configuration())
            let report = KnowledgeEvaluator.evaluate(index, cases: set.cases, threshold: threshold)
            print("\(directory): \(set.entries.count) entries, \(set.cases.count) phrasings")
            print("  " + report.summary)
            print("  by style: " + report.styleSummary)
            if sweep {
                let thresholds = stride(from: 0.30, through: 0.7001, by: 0.05).map { $0 }
                for swept in KnowledgeEvaluator.evaluate(index, cases: set.cases, thresholds: thresholds) {
                    print("  " + swept.summary)
                }
            }
            if let features {
                var rows = ""
                for evaluationCase in set.cases {
                    guard let best = index.search(evaluationCase.text, limit: 1).first else { continue }
                    let label = best.entryID == evaluationCase.expectedEntryID ? 1 : 0
                    let values = [
                        best.queryCoverage, best.questionCoverage, best.evidence, best.unmatchedWordShare, best.confidence,
                        best.entryCoverage, best.unmatchedAnyWordShare,
                    ]
                    rows += ([directory, evaluationCase.id, evaluationCase.style, "\(label)"] + values.map { String(format: "%.5f", $0) })
                        .joined(separator: "\t") + "\n"
                }
                let handle = FileManager.default.fileExists(atPath: features) ? FileHandle(forWritingAtPath: features) : nil
                if let handle {
                    handle.seekToEndOfFile()
                    handle.write(Data(rows.utf8))
                    handle.closeFile()
                } else {
                    try rows.write(toFile: features, atomically: true, encoding: .utf8)
                }
            }
            if ablation {
                for (name, configuration, tokenizer) in Self.variants() {
                    let variant = try set.index(configuration: configuration, tokenizer: tokenizer)
                    let figures = KnowledgeEvaluator.evaluate(variant, cases: set.cases, threshold: threshold)
                    print("  [\(name)] " + figures.summary)
                    print("      " + figures.styleSummary)
                }
            }
            for failure in report.failures.prefix(failures) {
                let got = failure.answer.map { "\($0.entryID) (\(String(format: "%.3f", $0.confidence)))" } ?? "no answer"
                let rank = failure.expectedRank.map { "rank \($0)" } ?? "not ranked"
                print("  ✗ [\(failure.evaluationCase.style)] \(failure.evaluationCase.text) → \(got); expected \(failure.evaluationCase.expectedEntryID ?? "none"), \(rank)")
            }
        }
    }
}

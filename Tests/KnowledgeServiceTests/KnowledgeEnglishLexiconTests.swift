import Foundation
import Testing
@testable import KnowledgeService

@Suite("English lexicon (CC-CEDICT)")
struct KnowledgeEnglishLexiconTests {
    @Test("the bundled table loads, ranks primary senses first and keeps at most three candidates")
    func bundledTable() {
        let english = KnowledgeEnglishLexicon.bundled
        #expect(english.translations.count > 10_000)
        #expect(english.candidates(for: "download")?.first == "下载")
        #expect(english.candidates(for: "homework")?.contains("作业") == true)
        #expect(english.candidates(for: "sign_up") == ["报名"])
        #expect(english.translations.values.allSatisfy { (1...3).contains($0.count) })
        #expect(english.candidates(for: "the") == nil)
    }

    @Test("bad lines are reported by number, the rest applied")
    func badLines() {
        var english = KnowledgeEnglishLexicon()
        let errors = english.add("# comment\nreplay 回放 重播\nReplay 回放\nlog_in 登录\nthree_word_phrase 短语\nlonely\nfix repair")
        #expect(errors.map(\.line) == [3, 5, 6, 7])
        #expect(english.candidates(for: "replay") == ["回放", "重播"])
        #expect(english.candidates(for: "log_in") == ["登录"])
    }

    @Test("inflected words fold to a known base form; unknown ones stay as written")
    func baseForms() {
        let known: Set<String> = ["order", "cancel", "reply", "charge", "stop", "box", "use", "access"]
        let base = { (word: String) in KnowledgeEnglishLexicon.baseForm(of: word) { known.contains($0) } }
        #expect(base("orders") == "order")
        #expect(base("cancelled") == "cancel")
        #expect(base("canceled") == "cancel")
        #expect(base("cancelling") == "cancel")
        #expect(base("replies") == "reply")
        #expect(base("replied") == "reply")
        #expect(base("charging") == "charge")
        #expect(base("charged") == "charge")
        #expect(base("stopped") == "stop")
        #expect(base("boxes") == "box")
        #expect(base("used") == "use")
        #expect(base("access") == nil)
        #expect(base("order") == nil)
        #expect(base("glasses") == nil)
    }

    @Test("a mixed message gets the glossary expansion, CC-CEDICT translations, base forms and no English function words")
    func tokens() {
        let tokenizer = KnowledgeTokenizer()
        let tokens = tokenizer.tokenize("我的Orders怎么Cancelled, how do I ask the Doctors")
        let words = tokens.filter { $0.kind == .word }.map(\.text)
        #expect(words == ["orders", "cancel", "ask", "doctor"])
        let translations = tokens.filter { $0.kind == .translation }.map(\.text)
        #expect(translations.contains("医生"))
        #expect(!translations.contains("订单"), "order is in the glossary: its expansion, not CC-CEDICT, is used")
        #expect(tokens.contains(KnowledgeToken("订单", kind: .cjkWord)) && tokens.contains(KnowledgeToken("取消", kind: .cjkWord)))
        let signUp = tokenizer.tokenize("怎么sign up")
        #expect(signUp.contains(KnowledgeToken("报名", kind: .translation)), "the phrase's CC-CEDICT translation")
        #expect(signUp.contains(KnowledgeToken("signup", kind: .word)) && signUp.contains(KnowledgeToken("注册", kind: .cjkWord)),
                "the two words written as one, with its glossary expansion")
        let plain = KnowledgeTokenizer(features: [.segmentation, .pinyin])
        #expect(!plain.tokenize("doctors").contains { $0.kind == .translation })
        #expect(plain.tokenize("doctors").map(\.text) == ["doctors"])
    }

    private static let entries = [
        KnowledgeIndexEntry(id: "doctor", question: "报告出来了怎么找医生看", similarQuestions: ["检查结果想让医生解读"]),
        KnowledgeIndexEntry(id: "report", question: "检查报告多久能出来", similarQuestions: ["报告几天出"]),
        KnowledgeIndexEntry(id: "department", question: "不知道该挂哪个科室", similarQuestions: ["挂号科室怎么选"]),
        KnowledgeIndexEntry(id: "homework", question: "作业在哪里提交", similarQuestions: ["怎么交作业"]),
        KnowledgeIndexEntry(id: "exam", question: "考试成绩在哪里查", similarQuestions: ["怎么查分数"]),
    ]

    @Test("an English word the glossary lacks finds its entry through CC-CEDICT")
    func mixedQuestions() throws {
        let index = try KnowledgeBM25Index(entries: Self.entries)
        let without = try KnowledgeBM25Index(entries: Self.entries, tokenizer: KnowledgeTokenizer(features: [.segmentation, .pinyin]))
        for (text, expected) in [("报告出来了想让doctor看一下", "doctor"), ("不知道挂什么department", "department")] {
            #expect(index.answer(text)?.entryID == expected, "\(text)")
            let with = try #require(index.search(text).first { $0.entryID == expected })
            let before = without.search(text).first { $0.entryID == expected }
            #expect(with.confidence > (before?.confidence ?? 0), "\(text)")
        }
    }

    @Test("a translation never outranks the same word written in Chinese")
    func reducedWeight() throws {
        let index = try KnowledgeBM25Index(entries: Self.entries)
        let chinese = try #require(index.search("科室").first)
        let english = try #require(index.search("department").first)
        #expect(chinese.entryID == "department" && english.entryID == "department")
        #expect(english.score < chinese.score)
    }

    @Test("unused senses of a translated word do not count against the coverage")
    func unusedSenses() throws {
        let index = try KnowledgeBM25Index(entries: Self.entries)
        let counted = index.analyze("department").terms.filter { $0.coverageWeight > 0 }.map(\.text)
        #expect(counted == ["科室"], "department (no entry uses it) and 部门 (an unused sense) do not count: \(counted)")
    }

    @Test("an English word nothing connects counts half; a message of unknown English words is still not answered")
    func unknownEnglish() throws {
        let index = try KnowledgeBM25Index(entries: Self.entries)
        let term = try #require(index.analyze("作业xyzzy").terms.first { $0.text == "xyzzy" })
        #expect(abs(term.coverageWeight - 0.5 * term.weight) < 1e-9)
        #expect(index.answer("what is the weather like") == nil)
        #expect(index.answer("how to learn python") == nil)
    }

    /// The tuning sets (never the held-out ones): overall and per-kind figures with and without the lexicon, and
    /// with `KEFU_EVAL_FAILURES=<kind>` that kind's failures. Prints only; the floors are in KnowledgeEvaluationTests.
    @Test("tuning-set report: with and without the English lexicon")
    func tuningReport() throws {
        let resources = KnowledgeEvaluationFixtures.directory.deletingLastPathComponent()
        let names = ["eval"] + (try FileManager.default.contentsOfDirectory(atPath: resources.path)).filter { $0.hasPrefix("tuning-") }.sorted()
        let environment = ProcessInfo.processInfo.environment
        let weights = (environment["KEFU_EVAL_TRANSLATION_WEIGHTS"] ?? "").split(separator: ",").compactMap { Double($0) }
        var variants: [(String, KnowledgeBM25Configuration, KnowledgeTokenizer)] = [
            ("without", KnowledgeBM25Configuration(), KnowledgeTokenizer(features: [.segmentation, .pinyin])),
            ("with", KnowledgeBM25Configuration(), KnowledgeTokenizer()),
        ]
        for weight in weights {
            var configuration = KnowledgeBM25Configuration()
            configuration.translationWeight = weight
            variants.append(("weight \(weight)", configuration, KnowledgeTokenizer()))
        }
        for share in (environment["KEFU_EVAL_UNTRANSLATED"] ?? "").split(separator: ",").compactMap({ Double($0) }) {
            var configuration = KnowledgeBM25Configuration()
            configuration.untranslatedWordCoverage = share
            variants.append(("untranslated \(share)", configuration, KnowledgeTokenizer()))
        }
        for name in names {
            let set = try KnowledgeEvaluationSet(directory: resources.appendingPathComponent(name))
            for (label, configuration, tokenizer) in variants {
                let report = KnowledgeEvaluator.evaluate(try set.index(configuration: configuration, tokenizer: tokenizer), cases: set.cases)
                print("\(name) [\(label)]: top-1 \(String(format: "%.3f", report.top1Accuracy)), correct-unanswered \(String(format: "%.3f", report.correctUnansweredRate)); \(report.styleSummary)")
                guard label == "with", let kind = environment["KEFU_EVAL_FAILURES"] else { continue }
                for failure in report.failures where failure.evaluationCase.style == kind {
                    print("  \(failure.evaluationCase.text) expected \(failure.evaluationCase.expectedEntryID ?? "-") got \(failure.answer.map { "\($0.entryID) \(String(format: "%.2f", $0.confidence))" } ?? "-") rank \(failure.expectedRank.map(String.init) ?? "-")")
                }
            }
        }
    }
}


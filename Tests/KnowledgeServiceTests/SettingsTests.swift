import Foundation
import ServiceRuntime
import Testing
@testable import KnowledgeService

@Suite struct SettingsTests {
    @Test func readsThresholdsAndRefusesBadValues() throws {
        let defaults = try KnowledgeSettings.fromEnvironment(ConfigReader(environment: [:]))
        #expect(defaults == KnowledgeSettings())
        let custom = try KnowledgeSettings.fromEnvironment(ConfigReader(environment: [
            "KEFU_KNOWLEDGE_THRESHOLD": "0.7", "KEFU_KNOWLEDGE_SIMILAR_THRESHOLD": "0.4",
            "KEFU_KNOWLEDGE_ASSIST_MIN_SCORE": "0", "KEFU_KNOWLEDGE_RECONCILE_SECONDS": "60",
        ]))
        #expect(custom == KnowledgeSettings(threshold: 0.7, similarThreshold: 0.4, assistMinScore: 0, reconcileInterval: .seconds(60)))
        for (name, value) in [("KEFU_KNOWLEDGE_THRESHOLD", "1.5"), ("KEFU_KNOWLEDGE_SIMILAR_THRESHOLD", "abc"),
                              ("KEFU_KNOWLEDGE_RECONCILE_SECONDS", "1"), ("KEFU_KNOWLEDGE_SUGGEST_THRESHOLD", "-0.1"),
                              ("KEFU_KNOWLEDGE_WORDS", "/nonexistent/words.txt"), ("KEFU_KNOWLEDGE_SYNONYMS", "/nonexistent/synonyms.txt")] {
            #expect(throws: ConfigError.self) { try KnowledgeSettings.fromEnvironment(ConfigReader(environment: [name: value])) }
        }
    }

    @Test("admin word and synonym files: bad lines come back with their numbers, the rest is applied")
    func adminFiles() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("kefu-knowledge-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let words = folder.appendingPathComponent("words.txt")
        let synonyms = folder.appendingPathComponent("synonyms.txt")
        try "运费险\n运费 abc\n尊享卡 50\n".write(to: words, atomically: true, encoding: .utf8)
        try "# 物流词\n物流 快递信息\n单独一个词\n".write(to: synonyms, atomically: true, encoding: .utf8)
        let settings = try KnowledgeSettings.fromEnvironment(ConfigReader(environment: [
            "KEFU_KNOWLEDGE_WORDS": words.path, "KEFU_KNOWLEDGE_SYNONYMS": synonyms.path, "KEFU_KNOWLEDGE_SUGGEST_THRESHOLD": "0.4",
        ]))
        #expect(settings.suggestThreshold == 0.4)
        let (tokenizer, bad) = settings.tokenizer()
        #expect(bad.map { "\($0.file == words.path ? "words" : "synonyms"):\($0.error.line)" } == ["words:2", "synonyms:3"])
        #expect(tokenizer.language.contains(word: "运费险") && tokenizer.language.contains(word: "尊享卡"))
        #expect(tokenizer.tokenize("快递信息不动") == tokenizer.tokenize("物流不动"))
    }
}

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
                              ("KEFU_KNOWLEDGE_RECONCILE_SECONDS", "1")] {
            #expect(throws: ConfigError.self) { try KnowledgeSettings.fromEnvironment(ConfigReader(environment: [name: value])) }
        }
    }
}

import Foundation
@testable import KnowledgeService

/// A knowledge-base entry of the hand-written evaluation set.
struct KnowledgeEvaluationEntry: Codable, Sendable {
    var id: String
    var category: String
    var question: String
    var similarQuestions: [String]
    var answer: String
    var enabled: Bool

    var indexEntry: KnowledgeIndexEntry {
        KnowledgeIndexEntry(id: id, question: question, similarQuestions: similarQuestions, enabled: enabled)
    }
}

/// Loads `Resources/eval/*.json` next to this file.
enum KnowledgeEvaluationFixtures {
    static let directory = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent()
        .appendingPathComponent("Resources/eval", isDirectory: true)

    static func entries() throws -> [KnowledgeEvaluationEntry] {
        try JSONDecoder().decode([KnowledgeEvaluationEntry].self, from: Data(contentsOf: directory.appendingPathComponent("knowledge-entries.json")))
    }

    static func phrasings() throws -> [KnowledgeEvaluationCase] {
        try JSONDecoder().decode([KnowledgeEvaluationCase].self, from: Data(contentsOf: directory.appendingPathComponent("visitor-phrasings.json")))
    }
}

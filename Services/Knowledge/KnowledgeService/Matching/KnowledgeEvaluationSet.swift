import Foundation

/// A labelled evaluation set read from a folder holding `knowledge-entries.json` (an array of entries:
/// `id`, `question`, `similarQuestions`, optionally `answer`, `category`, `enabled`) and
/// `visitor-phrasings.json` (an array of ``KnowledgeEvaluationCase``: `id`, `text`, `expectedEntryID`
/// — null when the bot must not answer — and `style`).
public struct KnowledgeEvaluationSet: Sendable {
    /// The knowledge base of the set.
    public var entries: [KnowledgeIndexEntry]
    /// The labelled visitor phrasings.
    public var cases: [KnowledgeEvaluationCase]

    /// Entry as written in `knowledge-entries.json`.
    private struct FileEntry: Decodable {
        var id: String
        var question: String
        var similarQuestions: [String]?
        var enabled: Bool?
    }

    /// Creates a set.
    public init(entries: [KnowledgeIndexEntry], cases: [KnowledgeEvaluationCase]) {
        self.entries = entries
        self.cases = cases
    }

    /// Reads the two files of `directory`; throws a readable error naming the file.
    public init(directory: URL) throws(KnowledgeEvaluationSetError) {
        let entriesURL = directory.appendingPathComponent("knowledge-entries.json")
        let casesURL = directory.appendingPathComponent("visitor-phrasings.json")
        let fileEntries: [FileEntry] = try Self.decode(entriesURL)
        entries = fileEntries.map {
            KnowledgeIndexEntry(id: $0.id, question: $0.question, similarQuestions: $0.similarQuestions ?? [], enabled: $0.enabled ?? true)
        }
        cases = try Self.decode(casesURL)
        let ids = Set(entries.map(\.id))
        if let unknown = cases.first(where: { $0.expectedEntryID.map { !ids.contains($0) } ?? false }) {
            throw .unknownEntry(caseID: unknown.id, entryID: unknown.expectedEntryID ?? "")
        }
    }

    /// Builds an index of the set's entries with `configuration` and `tokenizer`.
    public func index(
        configuration: KnowledgeBM25Configuration = KnowledgeBM25Configuration(),
        tokenizer: KnowledgeTokenizer = KnowledgeTokenizer()
    ) throws(KnowledgeMatchingError) -> KnowledgeBM25Index {
        try KnowledgeBM25Index(entries: entries, configuration: configuration, tokenizer: tokenizer)
    }

    private static func decode<T: Decodable>(_ url: URL) throws(KnowledgeEvaluationSetError) -> T {
        let data: Data
        do { data = try Data(contentsOf: url) } catch { throw .unreadable(path: url.path, reason: "\(error.localizedDescription)") }
        do { return try JSONDecoder().decode(T.self, from: data) } catch {
            throw .unreadable(path: url.path, reason: "\(error)")
        }
    }
}

/// Why an evaluation set could not be loaded.
public enum KnowledgeEvaluationSetError: Error, Equatable, Sendable, CustomStringConvertible {
    /// A file is missing or is not the expected JSON.
    case unreadable(path: String, reason: String)
    /// A phrasing expects an entry the set does not have.
    case unknownEntry(caseID: String, entryID: String)

    /// A one-line explanation.
    public var description: String {
        switch self {
        case .unreadable(let path, let reason): "cannot read \(path): \(reason)"
        case .unknownEntry(let caseID, let entryID): "phrasing \(caseID) expects entry \(entryID), which knowledge-entries.json does not have"
        }
    }
}

extension KnowledgeEvaluationReport {
    /// One line of headline figures: threshold, counts, top-1, MRR, correct no-answer, false no-answer, wrong.
    public var summary: String {
        let figures = [
            ("top-1", top1Accuracy), ("MRR", meanReciprocalRank), ("correct-unanswered", correctUnansweredRate),
            ("false-unanswered", falseUnansweredRate), ("wrong", wrongAnswerRate),
            ("misses offered the right choice", suggestedRecoveryRate), ("unanswerable offered choices", suggestedForUnanswerableRate),
        ]
        let body = figures.map { "\($0.0) \(String(format: "%.3f", $0.1))" }.joined(separator: ", ")
        return "threshold \(String(format: "%.2f", threshold)) over \(answerableCount)+\(unanswerableCount): \(body)"
    }

    /// Correct / total per style, sorted by style name.
    public var styleSummary: String {
        byStyle.sorted { $0.key < $1.key }
            .map { "\($0.key) \($0.value.correct)/\($0.value.total) (\(String(format: "%.0f", 100 * Double($0.value.correct) / Double(max($0.value.total, 1))))%)" }
            .joined(separator: ", ")
    }
}

import Foundation
import Synchronization

/// An in-memory BM25 index over knowledge entries, updated incrementally.
///
/// Every question of an entry (standard and similar) is indexed as its own document pointing back
/// to the entry, and an entry scores as its best-matching question. Document frequency is counted
/// per entry (how many entries use a term), so paraphrases of one entry do not dilute a term that
/// is distinctive for it. Disabled entries are not indexed at all. The index is a value type and
/// not synchronized: keep it inside an actor and mutate it from change events with
/// ``upsert(_:)`` and ``remove(entryID:)``; statistics stay exact after every call.
public struct KnowledgeBM25Index: Sendable {
    /// Scoring parameters.
    public let configuration: KnowledgeBM25Configuration
    /// Tokenizer used for questions and queries alike.
    public let tokenizer: KnowledgeTokenizer

    var terms = KnowledgeTermTable()
    var store = KnowledgeDocumentStore()

    /// Creates an empty index; throws if `configuration` is invalid.
    public init(
        configuration: KnowledgeBM25Configuration = KnowledgeBM25Configuration(),
        tokenizer: KnowledgeTokenizer = KnowledgeTokenizer()
    ) throws(KnowledgeMatchingError) {
        try configuration.validate()
        self.configuration = configuration
        self.tokenizer = tokenizer
    }

    /// Creates an index holding `entries`.
    public init(
        entries: some Sequence<KnowledgeIndexEntry>,
        configuration: KnowledgeBM25Configuration = KnowledgeBM25Configuration(),
        tokenizer: KnowledgeTokenizer = KnowledgeTokenizer()
    ) throws(KnowledgeMatchingError) {
        try self.init(configuration: configuration, tokenizer: tokenizer)
        for entry in entries {
            try upsert(entry)
        }
    }

    /// Number of indexed (enabled) entries.
    public var count: Int { store.entryCount }

    /// Number of indexed questions.
    public var questionCount: Int { store.liveDocumentCount }

    /// Number of distinct terms ever interned (terms are kept after their last use).
    public var termCount: Int { terms.count }

    /// True when the entry is indexed (known and enabled).
    public func contains(entryID: String) -> Bool {
        store.slot(of: entryID) != nil
    }

    /// Inserts or replaces an entry; a disabled entry is removed from the index.
    public mutating func upsert(_ entry: KnowledgeIndexEntry) throws(KnowledgeMatchingError) {
        try upsert(entry, tokens: entry.enabled ? entry.allQuestions.map(tokenizer.tokenize) : [])
    }

    /// Inserts or replaces many entries (a start-up load, a reload): their questions are tokenized on every
    /// core first, then indexed in order. Returns the entries refused, with why; the rest are indexed.
    ///
    /// Entries go 2,048 at a time, so only one slice's tokens are held at once.
    public mutating func upsert(contentsOf entries: [KnowledgeIndexEntry]) -> [(entry: KnowledgeIndexEntry, error: KnowledgeMatchingError)] {
        var refused: [(entry: KnowledgeIndexEntry, error: KnowledgeMatchingError)] = []
        for start in stride(from: 0, to: entries.count, by: 2_048) {
            let slice = Array(entries[start..<min(entries.count, start + 2_048)])
            for (entry, tokens) in zip(slice, Self.tokenize(slice, with: tokenizer)) {
                do {
                    try upsert(entry, tokens: tokens)
                } catch {
                    refused.append((entry, error))
                }
            }
        }
        return refused
    }

    /// The tokens of every question of every enabled entry, in order, computed in parallel chunks.
    private static func tokenize(_ entries: [KnowledgeIndexEntry], with tokenizer: KnowledgeTokenizer) -> [[[KnowledgeToken]]] {
        let chunkSize = 256
        let chunks = (entries.count + chunkSize - 1) / chunkSize
        let results = Mutex([Int: [[[KnowledgeToken]]]]())
        DispatchQueue.concurrentPerform(iterations: chunks) { chunk in
            let range = (chunk * chunkSize)..<min(entries.count, (chunk + 1) * chunkSize)
            let tokens = entries[range].map { $0.enabled ? $0.allQuestions.map(tokenizer.tokenize) : [] }
            results.withLock { $0[chunk] = tokens }
        }
        return results.withLock { results in (0..<chunks).flatMap { results[$0] ?? [] } }
    }

    /// Inserts or replaces `entry` whose questions' tokens are `tokens` (empty for a disabled entry).
    private mutating func upsert(_ entry: KnowledgeIndexEntry, tokens questionTokens: [[KnowledgeToken]]) throws(KnowledgeMatchingError) {
        guard !entry.id.isEmpty else { throw .emptyEntryID }
        let questions = entry.allQuestions
        guard !questions.isEmpty else { throw .entryHasNoQuestion(entryID: entry.id) }
        remove(entryID: entry.id)
        guard entry.enabled else { return }

        let slot = store.addEntry(id: entry.id, questions: questions)
        var entryTerms = Set<Int32>()
        for (position, tokens) in questionTokens.enumerated() {
            guard !tokens.isEmpty else { continue }
            var frequencies: [Int32: Float] = [:]
            for token in tokens {
                frequencies[terms.intern(token), default: 0] += 1
            }
            let document = store.addDocument(slot: slot, question: position, length: tokens.count)
            for (term, frequency) in frequencies {
                terms.postings[Int(term)].append(KnowledgePosting(document: document, termFrequency: frequency))
                entryTerms.insert(term)
            }
        }
        for term in entryTerms {
            terms.entryFrequency[Int(term)] += 1
        }
    }

    /// Removes an entry; returns false when it was not indexed.
    @discardableResult
    public mutating func remove(entryID: String) -> Bool {
        guard let slot = store.slot(of: entryID) else { return false }
        var entryTerms = Set<Int32>()
        for (document, question) in store.removeEntry(slot: slot) {
            var documentTerms = Set<Int32>()
            for token in tokenizer.tokenize(question) {
                if let term = terms.id(of: token.text) { documentTerms.insert(term) }
            }
            for term in documentTerms {
                terms.removePosting(term: term, document: document)
            }
            entryTerms.formUnion(documentTerms)
        }
        for term in entryTerms {
            terms.entryFrequency[Int(term)] -= 1
        }
        return true
    }

    /// Inverse entry frequency of a term, `ln(1 + (N - n + 0.5) / (n + 0.5))`; unknown terms use n = 0.
    func inverseFrequency(of term: Int32?) -> Double {
        let entries = Double(store.entryCount)
        let frequency = term.map { Double(terms.entryFrequency[Int($0)]) } ?? 0
        return log(1 + (entries - frequency + 0.5) / (frequency + 0.5))
    }
}

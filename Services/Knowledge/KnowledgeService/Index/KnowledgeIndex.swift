import Foundation
import KefuModel
import ServiceRuntime
import Synchronization

/// This instance's BM25 matcher plus what it knows about each entry's revision, behind one lock.
///
/// Every source of changes — the full load at start, the `knowledge.changed` follower, the catch-up by
/// revision before a request is answered and the periodic reconciliation — goes through ``apply(_:tombstones:)``,
/// which ignores a row older than the revision already applied, so the sources may race in any order.
/// Until the full load has happened the index is empty and ignores changes (the load includes them).
final class KnowledgeIndex: Sendable {
    private struct State: ~Copyable {
        var matcher: KnowledgeBM25Index?
        /// Every entry applied (enabled or not) with its revision.
        var revisions: [UUID: Int64] = [:]
        /// Entries deleted while this instance ran (ids are never reused).
        var deleted: Set<UUID> = []
        /// The highest revision seen.
        var highWater: Int64 = 0
        /// The admin lexicon revision the matcher was built with.
        var lexiconRevision: Int64 = 0
    }

    private let state = Mutex(State())
    /// The matcher's scoring parameters.
    let configuration: KnowledgeBM25Configuration

    /// The tokenizer before the admins' stored words and synonyms: the bundled tables plus the configured files.
    let baseTokenizer: KnowledgeTokenizer

    /// An empty index; ``ensureLoaded(_:)`` fills it.
    init(configuration: KnowledgeBM25Configuration = KnowledgeBM25Configuration(), tokenizer: KnowledgeTokenizer = KnowledgeTokenizer()) {
        self.configuration = configuration
        self.baseTokenizer = tokenizer
    }

    /// The admin lexicon revision the matcher was built with.
    var lexiconRevision: Int64 { state.withLock { $0.lexiconRevision } }

    /// Whether the full load has happened.
    var isLoaded: Bool { state.withLock { $0.matcher != nil } }

    /// How many (enabled) entries the matcher holds.
    var count: Int { state.withLock { $0.matcher?.count ?? 0 } }

    /// The highest revision this index has seen.
    var highWater: Int64 { state.withLock { $0.highWater } }

    /// Loads everything with `load` unless already loaded; concurrent callers wait for the first.
    func ensureLoaded(_ load: () throws -> IndexSnapshot) throws {
        try state.withLock { state in
            guard state.matcher == nil else { return }
            try build(from: try load(), into: &state)
        }
    }

    /// Rebuilds the matcher from `load` (every entry tokenized again with the admin words and synonyms it
    /// returns) unless it was already built with `lexiconRevision` or a later one; concurrent callers wait.
    func rebuild(lexiconRevision: Int64, _ load: () throws -> IndexSnapshot) throws {
        try state.withLock { state in
            guard state.matcher == nil || state.lexiconRevision < lexiconRevision else { return }
            try build(from: try load(), into: &state)
        }
    }

    private func build(from snapshot: IndexSnapshot, into state: inout State) throws {
        var fresh = State()
        fresh.matcher = try KnowledgeBM25Index(configuration: configuration, tokenizer: snapshot.lexicon.tokenizer(over: baseTokenizer))
        fresh.deleted = state.deleted
        Self.load(snapshot.rows, into: &fresh)
        fresh.highWater = max(fresh.highWater, snapshot.highWater, state.highWater)
        fresh.lexiconRevision = snapshot.lexicon.revision
        state = fresh
        HeapTrim.releaseFreeMemory()
    }

    /// Applies reloaded rows and deletions; rows older than what was applied are ignored.
    func apply(_ rows: [IndexRow], tombstones: [IndexTombstone] = []) {
        state.withLock { Self.apply(rows, tombstones: tombstones, to: &$0) }
    }

    /// Forgets entries that no longer exist in PostgreSQL (no tombstone found either).
    func forget(_ ids: [UUID]) {
        state.withLock { state in
            guard state.matcher != nil else { return }
            for id in ids {
                state.matcher?.remove(entryID: id.lowercasedString)
                state.revisions[id] = nil
                state.deleted.insert(id)
            }
        }
    }

    /// The revision applied per entry, for reconciliation.
    func revisions() -> [UUID: Int64] {
        state.withLock { $0.revisions }
    }

    /// Up to `limit` matches for `text`, ranked by score.
    func search(_ text: String, limit: Int) -> [KnowledgeMatch] {
        state.withLock { $0.matcher?.search(text, limit: limit) ?? [] }
    }

    /// The engine's answer for `text` at `threshold`, if any.
    func answer(_ text: String, threshold: Double) -> KnowledgeMatch? {
        state.withLock { $0.matcher?.answer(text, threshold: threshold) }
    }

    /// The bot's decision for `text` (an answer at `threshold`, 猜你想问 choices from `suggestionThreshold`, or
    /// nothing) and the best-scored match (``search(_:limit:)`` with limit 1), from one search.
    func decideWithBest(_ text: String, threshold: Double, suggestionThreshold: Double) -> (decision: KnowledgeDecision, best: KnowledgeMatch?) {
        state.withLock {
            $0.matcher?.decideWithBest(text, threshold: threshold, suggestionThreshold: suggestionThreshold) ?? (.none, nil)
        }
    }

    /// Fills a fresh index with a snapshot's rows (the latest revision of each, deleted entries left out),
    /// tokenizing on every core.
    private static func load(_ rows: [IndexRow], into state: inout State) {
        var latest: [UUID: IndexRow] = [:]
        for row in rows where !state.deleted.contains(row.id) && (latest[row.id].map { $0.revision <= row.revision } ?? true) {
            latest[row.id] = row
        }
        let ordered = rows.filter { latest[$0.id]?.revision == $0.revision && latest.removeValue(forKey: $0.id) != nil }
        for row in ordered {
            state.revisions[row.id] = row.revision
            state.highWater = max(state.highWater, row.revision)
        }
        let entries = ordered.map {
            KnowledgeIndexEntry(id: $0.id.lowercasedString, question: $0.question, similarQuestions: $0.similar, enabled: $0.enabled)
        }
        for (entry, _) in state.matcher?.upsert(contentsOf: entries) ?? [] {
            state.matcher?.remove(entryID: entry.id)
        }
    }

    private static func apply(_ rows: [IndexRow], tombstones: [IndexTombstone], to state: inout State) {
        guard state.matcher != nil else { return }
        for row in rows where !state.deleted.contains(row.id) {
            if let known = state.revisions[row.id], known > row.revision { continue }
            state.revisions[row.id] = row.revision
            state.highWater = max(state.highWater, row.revision)
            let entry = KnowledgeIndexEntry(
                id: row.id.lowercasedString, question: row.question, similarQuestions: row.similar, enabled: row.enabled)
            do {
                try state.matcher?.upsert(entry)
            } catch {
                state.matcher?.remove(entryID: entry.id)
            }
        }
        for tombstone in tombstones {
            state.matcher?.remove(entryID: tombstone.id.lowercasedString)
            state.revisions[tombstone.id] = nil
            state.deleted.insert(tombstone.id)
            state.highWater = max(state.highWater, tombstone.revision)
        }
    }
}

extension UUID {
    /// The lowercase 8-4-4-4-12 form used on the wire and as matcher keys.
    var lowercasedString: String { lowercasedText }
}

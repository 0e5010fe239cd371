import Foundation
import Synchronization

/// The matcher of this instance plus what it knows about each entry's revision, behind one lock.
///
/// Every source of changes — the full load at start, the `knowledge.changed` follower, the catch-up by
/// revision before a request is answered and the periodic reconciliation — goes through ``apply(_:tombstones:)``,
/// which ignores a row older than the revision already applied, so the sources may race in any order.
final class KnowledgeIndex: Sendable {
    /// The matching engine in use.
    typealias Matcher = InterimMatcher

    private struct State: ~Copyable {
        var matcher = Matcher()
        /// Every entry applied (enabled or not) with its revision.
        var revisions: [UUID: Int64] = [:]
        /// Entries deleted while this instance ran (ids are never reused).
        var deleted: Set<UUID> = []
        /// The highest revision seen.
        var highWater: Int64 = 0
        var loaded = false
    }

    private let state = Mutex(State())

    init() {}

    /// Whether the full load has happened.
    var isLoaded: Bool { state.withLock { $0.loaded } }

    /// How many entries the matcher holds.
    var count: Int { state.withLock { $0.matcher.count } }

    /// The highest revision this index has seen.
    var highWater: Int64 { state.withLock { $0.highWater } }

    /// Loads everything with `load` unless already loaded; concurrent callers wait for the first.
    func ensureLoaded(_ load: () throws -> IndexSnapshot) throws {
        try state.withLock { state in
            guard !state.loaded else { return }
            let snapshot = try load()
            var fresh = State()
            Self.apply(snapshot.rows, tombstones: [], to: &fresh)
            fresh.highWater = max(fresh.highWater, snapshot.highWater)
            fresh.loaded = true
            state = fresh
        }
    }

    /// Applies reloaded rows and deletions; rows older than what was applied are ignored.
    func apply(_ rows: [IndexRow], tombstones: [IndexTombstone] = []) {
        state.withLock { Self.apply(rows, tombstones: tombstones, to: &$0) }
    }

    /// Forgets an entry that no longer exists in PostgreSQL (no tombstone found).
    func forget(_ ids: [UUID]) {
        state.withLock { state in
            for id in ids {
                state.matcher.remove(entryID: id.lowercasedString)
                state.revisions[id] = nil
                state.deleted.insert(id)
            }
        }
    }

    /// The revision applied per entry, for reconciliation.
    func revisions() -> [UUID: Int64] {
        state.withLock { $0.revisions }
    }

    /// Up to `limit` candidates for `text`, best first.
    func search(_ text: String, limit: Int) -> [MatcherHit] {
        state.withLock { $0.matcher.search(text, limit: limit) }
    }

    private static func apply(_ rows: [IndexRow], tombstones: [IndexTombstone], to state: inout State) {
        for row in rows where !state.deleted.contains(row.id) {
            if let known = state.revisions[row.id], known > row.revision { continue }
            state.revisions[row.id] = row.revision
            state.highWater = max(state.highWater, row.revision)
            let key = row.id.lowercasedString
            guard row.enabled else {
                state.matcher.remove(entryID: key)
                continue
            }
            do {
                try state.matcher.upsert(MatcherEntry(id: key, question: row.question, similarQuestions: row.similar))
            } catch {
                state.matcher.remove(entryID: key)
            }
        }
        for tombstone in tombstones {
            state.matcher.remove(entryID: tombstone.id.lowercasedString)
            state.revisions[tombstone.id] = nil
            state.deleted.insert(tombstone.id)
            state.highWater = max(state.highWater, tombstone.revision)
        }
    }
}

extension UUID {
    /// The lowercase 8-4-4-4-12 form used on the wire and as matcher keys.
    var lowercasedString: String { uuidString.lowercased() }
}

import Foundation
import Testing
@testable import KnowledgeService

/// The matcher index applies changes from any source in any order, keeping the newest revision.
@Suite struct IndexTests {
    static func row(_ id: UUID, _ revision: Int64, _ question: String, enabled: Bool = true) -> IndexRow {
        IndexRow(id: id, revision: revision, enabled: enabled, question: question, similar: [])
    }

    @Test func olderRowsAndDeletedEntriesAreIgnored() throws {
        let index = KnowledgeIndex()
        let id = UUID()
        try index.ensureLoaded { IndexSnapshot(rows: [Self.row(id, 5, "物流查询")], highWater: 7) }
        #expect(index.count == 1)
        #expect(index.highWater == 7)
        index.apply([Self.row(id, 9, "发票怎么开")])
        index.apply([Self.row(id, 6, "物流查询")])
        #expect(index.search("发票怎么开", limit: 1).first?.entryID == id.lowercasedString)
        #expect(index.search("物流查询", limit: 1).isEmpty)
        #expect(index.highWater == 9)

        index.apply([Self.row(id, 10, "发票怎么开", enabled: false)])
        #expect(index.count == 0)
        index.apply([Self.row(id, 11, "发票怎么开")])
        #expect(index.count == 1)
        index.apply([], tombstones: [IndexTombstone(id: id, revision: 12)])
        index.apply([Self.row(id, 13, "发票怎么开")])
        #expect(index.count == 0)
        #expect(index.revisions().isEmpty)
    }

    @Test func theFullLoadHappensOnce() throws {
        let index = KnowledgeIndex()
        var loads = 0
        for _ in 0..<3 {
            try index.ensureLoaded {
                loads += 1
                return IndexSnapshot(rows: [Self.row(UUID(), 1, "退款")], highWater: 1)
            }
        }
        #expect(loads == 1)
        #expect(index.isLoaded)
        let gone = UUID()
        index.apply([Self.row(gone, 2, "退货")])
        index.forget([gone])
        #expect(index.count == 1)
    }

    @Test func aNewerLexiconRebuildsTheMatcherWithItsWordsAndKeepsDeletions() throws {
        let index = KnowledgeIndex()
        let (kept, deleted) = (UUID(), UUID())
        try index.ensureLoaded { IndexSnapshot(rows: [Self.row(kept, 1, "怎么兑换积分"), Self.row(deleted, 2, "米粒多少钱")], highWater: 2) }
        index.apply([], tombstones: [IndexTombstone(id: deleted, revision: 3)])
        #expect(index.lexiconRevision == 0)
        #expect(index.search("米粒怎么兑换", limit: 1).first?.confidence ?? 0 < KnowledgeSettings.defaultThreshold)

        let lexicon = AdminLexicon(revision: 4, synonyms: [SynonymGroup(canonical: "积分", variants: ["米粒"])])
        var loads = 0
        for revision: Int64 in [4, 4, 3] {
            try index.rebuild(lexiconRevision: revision) {
                loads += 1
                // A stale row of the deleted entry (read before its deletion) must not come back.
                return IndexSnapshot(rows: [Self.row(kept, 1, "怎么兑换积分"), Self.row(deleted, 2, "米粒多少钱")], highWater: 2, lexicon: lexicon)
            }
        }
        #expect(loads == 1, "rebuilt once, for the newer revision only")
        #expect(index.lexiconRevision == 4)
        #expect(index.highWater == 3)
        #expect(index.count == 1)
        let match = try #require(index.search("米粒怎么兑换", limit: 1).first)
        #expect(match.entryID == kept.lowercasedString && match.confidence >= KnowledgeSettings.defaultThreshold)
    }
}

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
}

@testable import GatewayService
import Testing

@Suite struct FeedCursorTests {
    @Test func oneIDPerPartitionOrOneForAll() throws {
        let one = try #require(FeedCursor("1764057600123-0", partitions: 1))
        #expect(one.description == "1764057600123-0")
        let four = try #require(FeedCursor("5-1,0-0,7-2,9-0", partitions: 4))
        #expect(four.ids.map(\.description) == ["5-1", "0-0", "7-2", "9-0"])
        #expect(four.description == "5-1,0-0,7-2,9-0")
        let spread = try #require(FeedCursor("1764057600123", partitions: 3))
        #expect(spread.description == "1764057600123-0,1764057600123-0,1764057600123-0")
        #expect(FeedCursor("0", partitions: 2)?.description == "0-0,0-0")
    }

    @Test func refusesOtherCountsAndText() {
        #expect(FeedCursor("1-0,2-0", partitions: 1) == nil)
        #expect(FeedCursor("1-0,2-0", partitions: 3) == nil)
        #expect(FeedCursor("1-0,,2-0", partitions: 3) == nil)
        #expect(FeedCursor("yesterday", partitions: 4) == nil)
        #expect(FeedCursor("", partitions: 1) == nil)
    }

    @Test func advancesOnePartition() throws {
        var cursor = FeedCursor(repeating: try #require(StreamID("0-0")), partitions: 3)
        cursor.advance(1, to: try #require(StreamID("12-3")))
        #expect(cursor.description == "0-0,12-3,0-0")
    }

    @Test func aGapNeedsARemovedEntry() throws {
        var info = EventStreamInfo()
        info.lastGenerated = try #require(StreamID("20-0"))
        info.firstEntry = StreamID("10-0")
        info.entriesAdded = 5
        info.length = 5
        #expect(!info.trimmed(after: try #require(StreamID("5-0"))), "nothing was removed from this partition")
        info.entriesAdded = 7
        #expect(info.trimmed(after: try #require(StreamID("5-0"))))
        #expect(!info.trimmed(after: try #require(StreamID("10-0"))))
    }
}

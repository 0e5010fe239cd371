import Redis
@testable import RedisStreams
import Testing

@Suite("Stream ids and reply parsing")
struct StreamIDTests {
    @Test func idsCompareNumerically() throws {
        let small = try #require(StreamID("9-5"))
        let large = try #require(StreamID("10-0"))
        #expect(small < large)
        #expect(try #require(StreamID("10")) == large)
        #expect(StreamID("10-x") == nil && StreamID("") == nil && StreamID("1-2-3") == nil)
        #expect(StreamID("1700000000000-12")?.description == "1700000000000-12")
    }

    @Test func autoClaimReplyHasThreeParts() throws {
        let reply: RedisReply = .array([
            .bulk(Array("0-0".utf8)),
            .array([
                .array([.bulk(Array("1-0".utf8)), .array([.bulk(Array("event".utf8)), .bulk([1, 2])])]),
                .array([.bulk(Array("2-0".utf8)), .null]),
            ]),
            .array([.bulk(Array("3-0".utf8))]),
        ])
        let result = try StreamReplyParser.autoClaim(reply)
        #expect(result.cursor == "0-0")
        #expect(result.entries.map(\.id) == ["1-0", "2-0"])
        #expect(result.entries[0].entry?[field: "event"] == [1, 2])
        #expect(result.entries[1].fields == nil)
        #expect(result.deletedIDs == ["3-0"])
    }
}

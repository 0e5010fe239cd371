import Testing
@testable import KnowledgeService

/// The byte search the change follower runs over every event of the stream.
struct ChangeFollowerScanTests {
    @Test func findsTheMarkerAnywhereAndNothingElse() {
        let marker = Array("knowledge.changed".utf8)
        let event = Array(#"{"id":"x","type":"knowledge.changed","data":{}}"#.utf8)
        #expect(ChangeFollower.contains(event, marker))
        #expect(ChangeFollower.contains(marker, marker))
        #expect(ChangeFollower.contains(Array("knowledge.change".utf8) + marker, marker))
        #expect(!ChangeFollower.contains(Array(#"{"type":"knowledge.change"}"#.utf8), marker))
        #expect(!ChangeFollower.contains(Array(#"{"type":"message.accepted","text":"knowledge"}"#.utf8), marker))
        #expect(!ChangeFollower.contains([], marker))
        #expect(ChangeFollower.contains(event, []))
    }
}

import Foundation
import KefuModel
@testable import RoutingService
import Testing

/// A batch costs a constant number of round trips, however many events it holds, and numbers every event
/// exactly as one-by-one handling would.
@Suite struct BatchRoundTripTests {
    @Test func aBatchOfMessagesInOpenSessionsCostsOneReadWhateverItsSize() async throws {
        let routing = try await RoutingHarness.make()
        defer { Task { await routing.close() } }
        for visitor in 0..<40 { try await routing.say("v\(visitor)", "在吗") }
        var tripsBySize: [Int: Int] = [:]
        for (round, size) in [5, 40].enumerated() {
            let messages = (0..<size).map {
                VisitorMessage(channel: "web-pc", visitorID: "v\($0)", clientMessageID: "r\(round)-\($0)", content: .text("发货了吗"))
            }
            let (ids, trips) = try await routing.applyBatch(messages)
            tripsBySize[size] = trips
            for id in ids { #expect(try await routing.reply(to: id).ok) }
        }
        #expect(tripsBySize[5] == 1, "the batch read; every write rides with COMMIT")
        #expect(tripsBySize[40] == 1)
        let session = try #require(try await routing.openSession(visitor: "v3"))
        let seqs = try await routing.sessionEvents(session).compactMap { $0.header.type == .messageAccepted ? $0.data["seq"] : nil }
        #expect(seqs.count == 3)
    }

    @Test func twoMessagesOfOneVisitorInABatchAreNumberedInOrderAndAResendIsAcceptedOnce() async throws {
        let routing = try await RoutingHarness.make()
        defer { Task { await routing.close() } }
        let messages = [
            VisitorMessage(channel: "web-pc", visitorID: "same-visitor", clientMessageID: "a", content: .text("第一句")),
            VisitorMessage(channel: "web-pc", visitorID: "same-visitor", clientMessageID: "b", content: .text("第二句")),
            VisitorMessage(channel: "web-pc", visitorID: "same-visitor", clientMessageID: "a", content: .text("第一句")),
        ]
        let (ids, _) = try await routing.applyBatch(messages)
        let session = try #require(try await routing.openSession(visitor: "same-visitor"))
        let events = try await routing.sessionEvents(session)
        let numbers = events.compactMap { $0.data["seq"] }
        #expect(numbers == (1...numbers.count).map { .integer(Int64($0)) }, "contiguous, no seq taken twice")
        let texts = events.filter { $0.header.type == .messageAccepted }.compactMap { $0.data["text"] }
        #expect(texts == [.string("第一句"), .string("第二句")])
        let resend = try await routing.reply(to: ids[2])
        #expect(resend.ok)
        #expect(resend.result?["duplicate"] == .bool(true))
        #expect(resend.result?["seq"] == events.first { $0.data["text"] == .string("第一句") }?.data["seq"])
    }

    /// The session row's `last_seq` and idle clock, written once per batch (`PendingSessionTouches`), end as
    /// they would after one `UPDATE` per message.
    @Test func aBatchWritesEachSessionRowOnceWithItsLastSeqAndIdleClock() async throws {
        let routing = try await RoutingHarness.make()
        defer { Task { await routing.close() } }
        try await routing.say("touched", "在吗")
        let session = try #require(try await routing.openSession(visitor: "touched"))
        try await routing.postgres.execute(
            "UPDATE routing.sessions SET last_activity_at = now() - interval '500 seconds', idle_warned_at = now() WHERE id = $1",
            [session.uuid])
        let messages = (0..<3).map {
            VisitorMessage(channel: "web-pc", visitorID: "touched", clientMessageID: "t\($0)", content: .text("发货了吗 \($0)"))
        }
        let (ids, _) = try await routing.applyBatch(messages)
        for id in ids { #expect(try await routing.reply(to: id).ok) }
        let highest = try await routing.sessionEvents(session).compactMap { event -> Int? in
            if case .integer(let seq) = event.data["seq"] { return Int(seq) }
            return nil
        }.max()
        let row = try await routing.postgres.query(
            """
            SELECT last_seq, last_activity_at > now() - interval '60 seconds', idle_warned_at IS NULL
            FROM routing.sessions WHERE id = $1
            """, [session.uuid])[0]
        #expect(try row.decode(Int.self, at: 0) == highest, "last_seq is the session's highest event seq")
        #expect(try row.decode(Bool.self, at: 1), "the visitor's messages reset the idle clock")
        #expect(try row.decode(Bool.self, at: 2), "and clear the idle warning")
    }
}

import Foundation
import KefuModel
import Postgres
import RedisStreams
import Testing
@testable import StoreService

/// The events consumer: every session event stored once, by event id and by (session_id, seq), and the
/// session row kept right whatever order batches commit in.
@Suite struct EventRecorderTests {
    let agentA = AgentID.random()
    let agentB = AgentID.random()

    @Test func theSameEventTwiceIsStoredOnce() async throws {
        let store = try await StoreHarness.make()
        defer { Task { await store.shutdown() } }
        let session = SessionID.random()
        let message = StoreHarness.message(session, seq: 2, text: "你好")
        try await store.record([StoreHarness.created(session, seq: 1), message, message])
        try await store.record([message])
        #expect(try await store.count("SELECT count(*) FROM store.events WHERE type = 'message.accepted'") == 1)
        #expect(try await store.count("SELECT message_count FROM store.sessions") == 1)
        #expect(try await store.count("SELECT count(*) FROM store.events") == 2)
        #expect(try await store.count("SELECT count(*) FROM store.processed_events") == 0,
                "the events' unique event_id is the inbox: no processed_events row per event")
    }

    @Test func aSecondEventClaimingATakenSeqIsIgnored() async throws {
        let store = try await StoreHarness.make()
        defer { Task { await store.shutdown() } }
        let session = SessionID.random()
        try await store.record([StoreHarness.message(session, seq: 1, text: "first")])
        try await store.record([StoreHarness.message(session, seq: 1, text: "impostor")])
        try await store.record([StoreHarness.message(session, seq: 2, text: "a"), StoreHarness.message(session, seq: 2, text: "b")])
        let rows = try await store.postgres.query("SELECT seq, text FROM store.events ORDER BY seq")
        #expect(try rows.map { try $0.decode(Int.self, at: 0) } == [1, 2])
        #expect(try rows[0].decode(String.self, at: 1) == "first")
        #expect(try await store.count("SELECT message_count FROM store.sessions") == 2, "ignored events are not counted")
    }

    @Test func everySessionEventIsStoredWithItsColumns() async throws {
        let store = try await StoreHarness.make()
        defer { Task { await store.shutdown() } }
        let session = SessionID.random()
        let image = ImageRef(.stored(ImageID.random()), mimeType: .png)
        let events: [any AnyEventEnvelope] = [
            StoreHarness.created(session, seq: 1),
            StoreHarness.envelope(SessionQueued(sessionID: session, seq: 2, channel: "web", visitorID: "v-1", reason: .keyword, priority: 10)),
            StoreHarness.envelope(QueuePosition(sessionID: session, seq: 3, channel: "web", visitorID: "v-1", position: 1, ahead: 0, prompt: "马上为您接入")),
            StoreHarness.assigned(session, seq: 4, agent: agentA),
            StoreHarness.envelope(MessageAccepted(
                sessionID: session, seq: 5, channel: "web", visitorID: "v-1", sender: .agent, agentID: agentA,
                clientMessageID: "wb-1", content: .image(image))),
            StoreHarness.transferred(session, seq: 6, from: agentA, to: agentB),
            StoreHarness.ended(session, seq: 7, human: true),
            StoreHarness.envelope(RatingRecorded(sessionID: session, seq: 8, channel: "web", visitorID: "v-1", stars: 5, agentID: agentB)),
            StoreHarness.envelope(FeedbackRecorded(
                sessionID: session, seq: 9, channel: "web", visitorID: "v-1", answerSeq: 5, questionSeq: 4,
                entryID: KnowledgeEntryID.random(), useful: false)),
        ]
        try await store.record(events)
        let rows = try await store.postgres.query(
            "SELECT type, sender, agent_id::text, image->>'image_id', data->>'visitor_id' FROM store.events ORDER BY seq")
        #expect(try rows.map { try $0.decode(String.self, at: 0) } == events.map(\.header.type.rawValue))
        #expect(try rows[4].decode(String?.self, at: 1) == "agent")
        #expect(try rows[4].decode(String?.self, at: 2) == agentA.description)
        #expect(try rows[4].decode(String?.self, at: 3) == image.location.storedID?.description)
        #expect(try rows[5].decode(String?.self, at: 2) == agentB.description, "a transfer names its new agent")
        #expect(try rows.allSatisfy { try $0.decode(String.self, at: 4) == "v-1" })
        let session_ = try await store.postgres.query(
            "SELECT human, agent_ids::text, last_seq, message_count, ended_at IS NOT NULL FROM store.sessions")[0]
        #expect(try session_.decode(Bool.self, at: 0))
        #expect(try session_.decode(String.self, at: 1) == "{\(agentA),\(agentB)}")
        #expect(try session_.decode(Int.self, at: 2) == 9, "feedback on a bot answer is part of the transcript")
        #expect(try session_.decode(Int.self, at: 3) == 1)
        #expect(try session_.decode(Bool.self, at: 4))
    }

    @Test func theSessionRowIsTheSameWhateverOrderBatchesCommitIn() async throws {
        let store = try await StoreHarness.make()
        defer { Task { await store.shutdown() } }
        let session = SessionID.random()
        let early = Timestamp(rfc3339: "2026-11-25T07:00:00.000Z")!
        let late = Timestamp(rfc3339: "2026-11-25T09:00:00.000Z")!
        try await store.record([StoreHarness.ended(session, seq: 9, human: true, time: late)])
        try await store.record([StoreHarness.transferred(session, seq: 6, from: agentA, to: agentB), StoreHarness.message(session, seq: 7)])
        try await store.record([StoreHarness.assigned(session, seq: 3, agent: agentA), StoreHarness.message(session, seq: 2)])
        try await store.record([StoreHarness.created(session, seq: 1, time: early)])
        let row = try await store.postgres.query(
            """
            SELECT agent_ids::text, last_seq, message_count, human, started_at = $1::timestamptz, ended_at = $2::timestamptz
            FROM store.sessions
            """, [early.rfc3339, late.rfc3339])[0]
        #expect(try row.decode(String.self, at: 0) == "{\(agentA),\(agentB)}")
        #expect(try row.decode(Int.self, at: 1) == 9)
        #expect(try row.decode(Int.self, at: 2) == 2)
        #expect(try row.decode(Bool.self, at: 3))
        #expect(try row.decode(Bool.self, at: 4), "started_at is the earliest event time")
        #expect(try row.decode(Bool.self, at: 5))
    }

    @Test func concurrentBatchesOnTheSameSessionsLoseNothing() async throws {
        let store = try await StoreHarness.make()
        defer { Task { await store.shutdown() } }
        let sessions = (0..<20).map { _ in SessionID.random() }
        try await withThrowingTaskGroup(of: Void.self) { group in
            for part in 0..<4 {
                group.addTask {
                    let batch: [any AnyEventEnvelope] = sessions.shuffled().flatMap { session in
                        (1...10).map { StoreHarness.message(session, seq: part * 10 + $0) }
                    }
                    try await store.record(batch)
                }
            }
            try await group.waitForAll()
        }
        #expect(try await store.count("SELECT count(*) FROM store.events") == 800)
        #expect(try await store.count("SELECT sum(message_count)::int FROM store.sessions") == 800)
        #expect(try await store.count("SELECT count(*) FROM store.sessions WHERE last_seq = 40 AND message_count = 40") == 20)
    }

    @Test func otherEventTypesAreSkippedAndBrokenSessionEventsRefused() async throws {
        let store = try await StoreHarness.make()
        defer { Task { await store.shutdown() } }
        let updated = StoreHarness.envelope(AgentUpdated(agentID: agentA, name: "客服", status: .online, present: true, capacity: 3, load: 1))
        guard case .skip = try store.recorder.decode(try StoreHarness.entry(updated)) else {
            Issue.record("agent.updated must be skipped")
            return
        }
        let future = #"{"id":"\#(UUID().uuidString.lowercased())","type":"session.teleported","version":1,"time":"2026-11-25T08:00:00.000Z","source":"routing","data":{}}"#
        guard case .skip = try store.recorder.decode(StreamEntry(id: "1-0", fields: [(name: "event", value: Array(future.utf8))])) else {
            Issue.record("an unknown type must be skipped")
            return
        }
        let noSeq = #"{"id":"\#(UUID().uuidString.lowercased())","type":"message.accepted","version":1,"time":"2026-11-25T08:00:00.000Z","source":"routing","data":{"session_id":"\#(UUID().uuidString.lowercased())","channel":"web","visitor_id":"v","sender":"bot","text":"hi"}}"#
        #expect(throws: ContractError.self) {
            _ = try store.recorder.decode(StreamEntry(id: "2-0", fields: [(name: "event", value: Array(noSeq.utf8))]))
        }
        #expect(throws: ContractError.missingField("event")) {
            _ = try store.recorder.decode(StreamEntry(id: "3-0", fields: [(name: "other", value: [])]))
        }
        #expect(throws: ContractError.self) {
            _ = try store.recorder.decode(StreamEntry(id: "4-0", fields: [(name: "event", value: Array("{nope".utf8))]))
        }
    }

    @Test func textPostgresCannotHoldIsStoredWithAReplacementCharacter() async throws {
        let store = try await StoreHarness.make()
        defer { Task { await store.shutdown() } }
        let session = SessionID.random()
        try await store.record([StoreHarness.message(session, seq: 1, text: "a\u{0}b \\u0000 literal")])
        let text = try await store.postgres.query("SELECT text FROM store.events")[0].decode(String.self, at: 0)
        #expect(text == "a\u{FFFD}b \\u0000 literal")
    }
}

extension ImageRef.Location {
    /// The stored image id, if any.
    var storedID: ImageID? {
        if case .stored(let id) = self { return id }
        return nil
    }
}

import Foundation
import KefuModel
import Postgres
@testable import RoutingService
import Testing

/// Internal notes (内部备注): staff-only session entries numbered with the session's `seq`.
@Suite struct NoteTests {
    private func served(_ h: RoutingHarness, visitor: String) async throws -> (SessionID, AgentID) {
        let agent = try await h.onlineAgent("小王", capacity: 5)
        let session = try await h.requestHuman(visitor)
        try await h.engine.drainQueue(using: h.postgres)
        #expect(try await h.state(of: session) == "assigned")
        return (session, agent)
    }

    @Test func theServingAgentAndAnAdminWriteNotesThatTakeTheNextSeqAndCarryNoVisitor() async throws {
        let h = try await RoutingHarness.make()
        defer { Task { await h.close() } }
        _ = try await h.updateSettings { $0.sensitiveWords = ["敏感词"] }
        let (session, agent) = try await served(h, visitor: "v-note")
        _ = try await h.published()
        let before = try await h.sessionEvents(session).count

        let written = try await h.apply(AgentNote(sessionID: session, agentID: agent, role: .agent, clientNoteID: "n-1", text: "老客户，含敏感词"))
        let reply = try await h.reply(to: written)
        #expect(reply.ok)
        #expect(reply.result?["seq"]?.intValue == before + 1)
        let events = try await h.published()
        let note = try #require(events.first { $0.type == .noteAdded })
        #expect(note.stream == h.streams.events)
        let added = try note.decode(NoteAdded.self)
        #expect(added.seq == before + 1 && added.agentID == agent && added.role == .agent && added.text == "老客户，含***")
        #expect(note.data["channel"] == nil && note.data["visitor_id"] == nil, "a note names no visitor, so no connector keeps it")
        #expect(!events.contains { $0.type == .messageAccepted }, "a note is never a message")

        // A resend gets the first seq and no second event.
        let again = try await h.reply(to: try await h.apply(
            AgentNote(sessionID: session, agentID: agent, role: .agent, clientNoteID: "n-1", text: "老客户，含敏感词")))
        #expect(again.ok && again.result?["duplicate"] == .bool(true) && again.result?["seq"]?.intValue == before + 1)
        #expect(try await h.published().allSatisfy { $0.type == .replyResult }, "a resend publishes no second note")

        // The visitor's next message comes after the note.
        _ = try await h.say("v-note", "还在吗")
        let message = try #require(try await h.published().first { $0.type == .messageAccepted }).decode(MessageAccepted.self)
        #expect(message.seq == before + 2)

        // An admin who never served the session may write one too.
        let admin = AgentID.random()
        let byAdmin = try await h.reply(to: try await h.apply(
            AgentNote(sessionID: session, agentID: admin, role: .admin, clientNoteID: "a-1", text: "主管：请尽快处理")))
        #expect(byAdmin.ok && byAdmin.result?["seq"]?.intValue == before + 3)
    }

    @Test func anotherAgentAnUnknownSessionOrANonStaffRoleIsRefusedAndNothingChanges() async throws {
        let h = try await RoutingHarness.make()
        defer { Task { await h.close() } }
        let (session, _) = try await served(h, visitor: "v-note-2")
        let other = try await h.onlineAgent("小李", capacity: 5)
        let lastSeq: @Sendable () async throws -> Int? = { try await h.postgres.query("SELECT last_seq FROM routing.sessions WHERE id = $1", [session.uuid]).first?.decode(Int.self, at: 0) }
        let seqBefore = try await lastSeq()
        _ = try await h.published()

        let notYours = try await h.reply(to: try await h.apply(
            AgentNote(sessionID: session, agentID: other, role: .agent, clientNoteID: "x-1", text: "不是我的会话")))
        #expect(!notYours.ok && notYours.code == "not_your_session")
        let unknown = try await h.reply(to: try await h.apply(
            AgentNote(sessionID: .random(), agentID: other, role: .admin, clientNoteID: "x-2", text: "没有这个会话")))
        #expect(!unknown.ok && unknown.code == "unknown_session")
        let visitorRole = try await h.applyMalformed(.agentNote, [
            "session_id": session.description, "agent_id": other.description, "role": "visitor", "client_note_id": "x-3", "text": "冒充",
        ])
        #expect(try await h.reply(to: visitorRole).ok == false)

        #expect(try await lastSeq() == seqBefore, "a refusal takes no seq")
        #expect(!(try await h.published()).contains { $0.type == .noteAdded })
        let ids = try await h.postgres.query("SELECT count(*) FROM routing.message_ids WHERE sender = 'note'")
        #expect(try ids.first?.decode(Int.self, at: 0) == 0)
    }

    @Test func notesInABatchCostNoExtraRoundTrip() async throws {
        let h = try await RoutingHarness.make()
        defer { Task { await h.close() } }
        let agent = try await h.onlineAgent("小王", capacity: 20)
        var sessions: [SessionID] = []
        for index in 1...11 { sessions.append(try await h.requestHuman("v-batch-\(index)")) }
        try await h.engine.drainQueue(using: h.postgres)
        let notes = sessions.enumerated().map { index, session in
            AgentNote(sessionID: session, agentID: agent, role: .agent, clientNoteID: "b-\(index)", text: "备注 \(index)")
        }
        _ = try await h.published()
        let one = try await h.applyBatch([notes[0]])
        let ten = try await h.applyBatch(Array(notes[1...]))
        #expect(one.roundTrips == ten.roundTrips, "round trips do not grow with the batch: \(one.roundTrips) vs \(ten.roundTrips)")
        #expect(try await h.published().filter { $0.type == .noteAdded }.count == 11)
        // Two notes of one session in a batch: each takes its own seq, in order.
        let twice = try await h.applyBatch([
            AgentNote(sessionID: sessions[0], agentID: agent, role: .agent, clientNoteID: "t-1", text: "一"),
            AgentNote(sessionID: sessions[0], agentID: agent, role: .agent, clientNoteID: "t-2", text: "二"),
        ])
        _ = twice
        let seqs = try await h.published().filter { $0.type == .noteAdded }.map { try $0.decode(NoteAdded.self).seq }
        #expect(seqs.count == 2 && seqs[1] == seqs[0] + 1)
    }
}

import Foundation
import KefuModel
import Testing
@testable import StoreService

/// `history.page` and `sessions.by_visitor`: cursor paging in ascending seq, and who may read what.
@Suite struct HistoryQueriesTests {
    let agentA = AgentID.random()
    let agentB = AgentID.random()

    /// Session of visitor v-1 on web: created 1, queued 2, assigned to A 3, messages 4…253, ended 254.
    func servedSession(_ harness: QueryHarness) async throws -> SessionID {
        let session = SessionID.random()
        var events: [any AnyEventEnvelope] = [
            StoreHarness.created(session, seq: 1),
            StoreHarness.envelope(SessionQueued(sessionID: session, seq: 2, channel: "web", visitorID: "v-1", reason: .keyword, priority: 0)),
            StoreHarness.assigned(session, seq: 3, agent: agentA),
        ]
        events += (4...253).map { StoreHarness.message(session, seq: $0) }
        events.append(StoreHarness.ended(session, seq: 254, human: true))
        try await harness.store.record(events)
        return session
    }

    func seqs(_ reply: ReplyResult) -> [Int] {
        reply.result?["items"]?.arrayValue?.compactMap { $0["seq"]?.intValue } ?? []
    }

    @Test func pagesWalkTheMessagesInAscendingSeqWithTheCursor() async throws {
        let harness = try await QueryHarness.make()
        defer { Task { await harness.shutdown() } }
        let session = try await servedSession(harness)
        var after = 0
        var seen: [Int] = []
        var pages = 0
        while true {
            let reply = try await harness.ask(
                "history.page", QueryHarness.admin,
                ["session_id": .string(session.description), "after_seq": .integer(Int64(after)), "limit": .integer(100)])
            #expect(reply.ok, "\(reply)")
            #expect(reply.result?["last_seq"]?.intValue == 254)
            seen += seqs(reply)
            pages += 1
            guard let next = reply.result?["next_after_seq"]?.intValue else { break }
            #expect(next == seen.last)
            after = next
        }
        #expect(pages == 3)
        #expect(seen == Array(4...253), "every message once, ascending, nothing else")

        let first = try await harness.ask("history.page", QueryHarness.admin, ["session_id": .string(session.description)])
        #expect(seqs(first) == Array(4...53), "limit defaults to 50")
        let item = first.result?["items"]?.arrayValue?.first
        #expect(item?["type"]?.stringValue == "message.accepted")
        #expect(item?["time"]?.stringValue == "2026-11-25T08:00:00.000Z")
        #expect(item?["data"]?["text"]?.stringValue == "消息 4")
        #expect(item?["data"]?["seq"]?.intValue == 4)
    }

    @Test func kindsAllIncludesStateChanges() async throws {
        let harness = try await QueryHarness.make()
        defer { Task { await harness.shutdown() } }
        let session = try await servedSession(harness)
        let reply = try await harness.ask(
            "history.page", QueryHarness.admin,
            ["session_id": .string(session.description), "kinds": .string("all"), "limit": .integer(5)])
        #expect(seqs(reply) == [1, 2, 3, 4, 5])
        let types = reply.result?["items"]?.arrayValue?.compactMap { $0["type"]?.stringValue }
        #expect(types == ["session.created", "session.queued", "session.assigned", "message.accepted", "message.accepted"])
        let tail = try await harness.ask(
            "history.page", QueryHarness.admin,
            ["session_id": .string(session.description), "kinds": .string("all"), "after_seq": .integer(250), "limit": .integer(200)])
        #expect(seqs(tail) == [251, 252, 253, 254])
        #expect(tail.result?["next_after_seq"] == nil, "the last page has no cursor")
    }

    @Test(arguments: [
        ["limit": JSONValue.integer(201)], ["limit": .integer(0)], ["limit": .string("10")], ["kinds": .string("images")],
        ["after_seq": .integer(-1)], ["session_id": .string("not-a-uuid")], ["session_id": .null],
    ])
    func badParamsAreRefused(_ override: [String: JSONValue]) async throws {
        let harness = try await QueryHarness.make()
        defer { Task { await harness.shutdown() } }
        var params: [String: JSONValue] = ["session_id": .string(SessionID.random().description)]
        params.merge(override) { _, new in new }
        let reply = try await harness.ask("history.page", QueryHarness.admin, params)
        #expect(reply.ok == false)
        #expect(reply.code == "invalid_params", "\(reply)")
        #expect(reply.message?.contains("params.") == true)
    }

    @Test func longMessagesEndAPageEarlySoTheReplyFitsAnEntry() async throws {
        let harness = try await QueryHarness.make()
        defer { Task { await harness.shutdown() } }
        let session = SessionID.random()
        let long = String(repeating: "长", count: 5_000)
        try await harness.store.record((1...30).map { StoreHarness.message(session, seq: $0, text: long) })
        var after = 0
        var seen: [Int] = []
        while true {
            let request = QueryHarness.request(
                "history.page", QueryHarness.admin,
                ["session_id": .string(session.description), "after_seq": .integer(Int64(after)), "limit": .integer(200)])
            let reply = try await harness.queries.answer(request)
            let items = seqs(reply)
            #expect(!items.isEmpty && items.count < 30)
            let envelope = EventEnvelope(source: "store", correlationID: request.id, data: reply)
            #expect(throws: Never.self) { _ = try EnvelopeCodec.encode(envelope) }
            seen += items
            guard let next = reply.result?["next_after_seq"]?.intValue else { break }
            after = next
        }
        #expect(seen == Array(1...30))
    }

    @Test func visitorsReadOnlyTheirOwnSessionsAndAgentsOnlyTheOnesTheyServed() async throws {
        let harness = try await QueryHarness.make()
        defer { Task { await harness.shutdown() } }
        let session = try await servedSession(harness)
        let params: [String: JSONValue] = ["session_id": .string(session.description)]
        func code(_ actor: Actor, _ params: [String: JSONValue] = params) async throws -> String {
            let reply = try await harness.ask("history.page", actor, params)
            return reply.ok ? "ok" : reply.code ?? "?"
        }
        #expect(try await code(QueryHarness.visitor("v-1")) == "ok")
        #expect(try await code(QueryHarness.visitor("v-2")) == "unknown_session")
        #expect(try await code(QueryHarness.visitor("v-1", channel: "wechat")) == "unknown_session")
        #expect(try await code(QueryHarness.agent(agentA)) == "ok")
        #expect(try await code(QueryHarness.agent(agentB)) == "forbidden")
        #expect(try await code(QueryHarness.admin) == "ok")
        #expect(try await code(Actor(role: .service)) == "forbidden")

        let unknown: [String: JSONValue] = ["session_id": .string(SessionID.random().description)]
        #expect(try await code(QueryHarness.visitor("v-1"), unknown) == "unknown_session",
                "another visitor's session and a missing one look the same")
        #expect(try await code(QueryHarness.admin, unknown) == "unknown_session")

        try await harness.store.record([StoreHarness.transferred(session, seq: 255, from: agentA, to: agentB)])
        #expect(try await code(QueryHarness.agent(agentB)) == "ok", "the new agent sees the whole history")
        #expect(try await code(QueryHarness.agent(agentA)) == "ok", "the first agent served it too")
    }

    @Test func previousSessionsOfAVisitor() async throws {
        let harness = try await QueryHarness.make()
        defer { Task { await harness.shutdown() } }
        let served = try await servedSession(harness)
        let botOnly = SessionID.random()
        let open = SessionID.random()
        let stranger = SessionID.random()
        try await harness.store.record([
            StoreHarness.created(botOnly, seq: 1, time: Timestamp(rfc3339: "2026-11-25T09:00:00.000Z")!),
            StoreHarness.message(botOnly, seq: 2, time: Timestamp(rfc3339: "2026-11-25T09:01:00.000Z")!),
            StoreHarness.ended(botOnly, seq: 3, human: false, time: Timestamp(rfc3339: "2026-11-25T09:05:00.000Z")!),
            StoreHarness.created(open, seq: 1, time: Timestamp(rfc3339: "2026-11-25T10:00:00.000Z")!),
            StoreHarness.created(stranger, seq: 1, visitor: "v-2"),
        ])
        let params: [String: JSONValue] = ["channel": .string("web"), "visitor_id": .string("v-1")]
        let reply = try await harness.ask("sessions.by_visitor", QueryHarness.admin, params)
        let items = reply.result?["items"]?.arrayValue ?? []
        #expect(items.compactMap { $0["session_id"]?.stringValue } == [open, botOnly, served].map(\.description), "newest first")
        #expect(items[0]["ended_at"] == nil)
        #expect(items[1]["ended_at"]?.stringValue == "2026-11-25T09:05:00.000Z")
        #expect(items[1]["human"] == .bool(false))
        #expect(items[1]["message_count"]?.intValue == 1)
        #expect(items[2]["human"] == .bool(true))
        #expect(items[2]["agent_ids"] == .array([.string(agentA.description)]))
        #expect(items[2]["message_count"]?.intValue == 250)
        #expect(items[2]["started_at"]?.stringValue == "2026-11-25T08:00:00.000Z")

        let asAgent = try await harness.ask("sessions.by_visitor", QueryHarness.agent(agentA), params)
        #expect(asAgent.result?["items"]?.arrayValue?.count == 3, "an agent who served the visitor sees every session")
        let transcript = try await harness.ask("history.page", QueryHarness.agent(agentA), ["session_id": .string(botOnly.description)])
        #expect(transcript.ok, "an agent who served the visitor reads the transcripts of the visitor's other sessions")
        let strangers = try await harness.ask("history.page", QueryHarness.agent(agentA), ["session_id": .string(stranger.description)])
        #expect(strangers.code == "forbidden", "but not those of a visitor they never served")
        let notServed = try await harness.ask("history.page", QueryHarness.agent(agentB), ["session_id": .string(botOnly.description)])
        #expect(notServed.code == "forbidden")
        let limited = try await harness.ask("sessions.by_visitor", QueryHarness.admin, params.merging(["limit": .integer(2)]) { $1 })
        #expect(limited.result?["items"]?.arrayValue?.count == 2)
        #expect(try await harness.ask("sessions.by_visitor", QueryHarness.agent(agentB), params).code == "forbidden")
        #expect(try await harness.ask("sessions.by_visitor", QueryHarness.visitor("v-1"), params).code == "forbidden")
        let bad = try await harness.ask("sessions.by_visitor", QueryHarness.admin, ["channel": .string("Web!"), "visitor_id": .string("v-1")])
        #expect(bad.code == "invalid_params")
    }

    @Test func anUnknownQueryNameIsRefused() async throws {
        let harness = try await QueryHarness.make()
        defer { Task { await harness.shutdown() } }
        let reply = try await harness.ask("history.delete", QueryHarness.admin)
        #expect(reply.code == "unknown_query")
    }
}

/// Internal notes (内部备注): kept with the history for staff, never returned to the visitor.
@Suite struct NoteHistoryTests {
    @Test func staffSeeNotesAVisitorGetsOnlyTheirSeqs() async throws {
        let harness = try await QueryHarness.make()
        defer { Task { await harness.shutdown() } }
        let agent = AgentID.random()
        let session = SessionID.random()
        let note = { (seq: Int) in
            StoreHarness.envelope(NoteAdded(sessionID: session, seq: seq, agentID: agent, role: .agent, clientNoteID: "n-\(seq)", text: "内部 \(seq)"))
        }
        try await harness.store.record([
            StoreHarness.created(session, seq: 1), StoreHarness.assigned(session, seq: 2, agent: agent),
            StoreHarness.message(session, seq: 3),
        ])
        // A batch of notes only (no channel in it) still records them and moves `last_seq`.
        try await harness.store.record([note(4), note(5)])
        try await harness.store.record([StoreHarness.message(session, seq: 6)])
        let params: [String: JSONValue] = ["session_id": .string(session.description), "kinds": .string("all")]

        let staff = try await harness.ask("history.page", QueryHarness.agent(agent), params)
        #expect(staff.ok, "\(staff)")
        let types = staff.result?["items"]?.arrayValue?.compactMap { $0["type"]?.stringValue } ?? []
        #expect(types.filter { $0 == "note.added" }.count == 2)
        #expect(staff.result?["hidden_seqs"] == nil)

        let visitor = try await harness.ask("history.page", QueryHarness.visitor(), params)
        #expect(visitor.ok, "\(visitor)")
        let items = visitor.result?["items"]?.arrayValue ?? []
        #expect(items.compactMap { $0["seq"]?.intValue } == [1, 2, 3, 6])
        #expect(!items.contains { $0["type"]?.stringValue == "note.added" })
        #expect(visitor.result?["hidden_seqs"] == .array([.integer(4), .integer(5)]))
        #expect(visitor.result?["last_seq"]?.intValue == 6)

        // A page that ends on notes still moves the cursor past them.
        let short = try await harness.ask(
            "history.page", QueryHarness.visitor(),
            ["session_id": .string(session.description), "kinds": .string("all"), "after_seq": .integer(3), "limit": .integer(2)])
        #expect(short.result?["items"]?.arrayValue?.isEmpty == true)
        #expect(short.result?["hidden_seqs"] == .array([.integer(4), .integer(5)]))
        #expect(short.result?["next_after_seq"]?.intValue == 5)
    }
}

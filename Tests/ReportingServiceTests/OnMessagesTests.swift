import Foundation
import Postgres
import Testing

/// `reporting.on_messages` applies most of a batch set-based; the result must equal applying each message
/// with `reporting.on_message` in stream order, whatever the batch holds (repeats, unknown sessions,
/// messages older than the session's start, agent messages).
@Suite(.serialized)
struct OnMessagesTests {
    /// One message: (session index, seq, sender, seconds after the start, agent index).
    typealias Message = (session: Int, seq: Int, sender: String, at: Int, agent: Int?)

    static let batches: [[Message]] = [
        [
            (0, 2, "visitor", 1, nil), (0, 3, "bot", 2, nil), (0, 2, "visitor", 1, nil), (1, 2, "visitor", 1, nil),
            (1, 3, "agent", 3, 0), (2, 2, "visitor", 1, nil), (1, 4, "system", -7_200, nil), (0, 5, "visitor", 5, nil),
            (1, 5, "agent", 9, 0), (3, 2, "bot", 4, nil),
        ],
        [(0, 2, "visitor", 1, nil), (0, 6, "visitor", 6, nil), (2, 3, "agent", 7, 1), (1, 4, "system", -7_200, nil)],
    ]

    @Test func theSetBasedBatchEqualsOneByOne() async throws {
        let harness = try await ReportingHarness()
        defer { Task { await harness.stop() } }
        let start = "2026-11-25T15:59:00Z"
        let sessions = (0..<4).map { _ in (batch: UUID(), single: UUID()) }
        let agents = [UUID(), UUID()]
        // Sessions 0, 1 and 3 are recorded (created) before the messages; session 2 is not.
        for index in [0, 1, 3] {
            for (id, channel) in [(sessions[index].batch, "batch"), (sessions[index].single, "single")] {
                _ = try await harness.postgres.query(
                    "SELECT reporting.on_session_created($1, 1, $2, $3, $4::timestamptz, 'Asia/Shanghai')",
                    [id, channel, "v\(index)", start])
            }
        }
        var appliedBatch = 0
        var appliedSingle = 0
        for batch in Self.batches {
            func array(_ values: [String]) -> String { "{" + values.map { "\"\($0)\"" }.joined(separator: ",") + "}" }
            let rows = try await harness.postgres.query(
                """
                SELECT reporting.on_messages($1::uuid[], $2::bigint[], $3::text[], $4::text[],
                    (SELECT array_agg($5::timestamptz + make_interval(secs => s) ORDER BY o)
                     FROM unnest($6::int[]) WITH ORDINALITY AS t(s, o)),
                    'Asia/Shanghai', $7::text[], $8::uuid[])
                """,
                [array(batch.map { sessions[$0.session].batch.uuidString }), "{" + batch.map { "\($0.seq)" }.joined(separator: ",") + "}",
                 array(batch.map { _ in "batch" }), array(batch.map { "v\($0.session)" }), start,
                 "{" + batch.map { "\($0.at)" }.joined(separator: ",") + "}", array(batch.map(\.sender)),
                 "{" + batch.map { $0.agent.map { agents[$0].uuidString } ?? "NULL" }.joined(separator: ",") + "}"])
            appliedBatch += Int(try rows.first?.decode(Int32.self, at: 0) ?? -1)
            for message in batch {
                let single = try await harness.postgres.query(
                    """
                    SELECT reporting.on_message($1, $2, 'single', $3, $4::timestamptz + make_interval(secs => $5::int),
                        'Asia/Shanghai', $6, $7)
                    """,
                    [sessions[message.session].single, message.seq, "v\(message.session)", start, message.at, message.sender,
                     message.agent.map { agents[$0] }])
                if try single.first?.decode(Bool.self, at: 0) == true { appliedSingle += 1 }
            }
        }
        #expect(appliedBatch == appliedSingle)
        #expect(appliedBatch == 11, "new messages applied: \(appliedBatch)")

        let sessionRow = """
            SELECT started_at, first_response_at, visitor_messages, bot_messages, agent_messages, system_messages,
                last_seq, encode(seen_seqs, 'hex')
            FROM reporting.sessions WHERE session_id = $1
            """
        for pair in sessions {
            let batched = try await harness.postgres.query(sessionRow, [pair.batch]).map { try $0.decode(String.self, at: 7) }
            let single = try await harness.postgres.query(sessionRow, [pair.single]).map { try $0.decode(String.self, at: 7) }
            #expect(batched == single && batched.count == 1)
            let counts = """
                SELECT concat_ws(',', started_at, first_response_at, visitor_messages, bot_messages, agent_messages,
                    system_messages, last_seq) FROM reporting.sessions WHERE session_id = $1
                """
            let a = try await harness.postgres.query(counts, [pair.batch]).map { try $0.decode(String.self, at: 0) }
            let b = try await harness.postgres.query(counts, [pair.single]).map { try $0.decode(String.self, at: 0) }
            #expect(a == b)
        }
        let stats = """
            SELECT string_agg(concat_ws(',', day, sessions, bot_sessions, human_sessions, visitor_messages, bot_messages,
                agent_messages, system_messages), ';' ORDER BY day)
            FROM reporting.daily_channel_stats WHERE channel = $1
            """
        let batchedStats = try await harness.postgres.query(stats, ["batch"]).map { try $0.decode(String?.self, at: 0) }
        let singleStats = try await harness.postgres.query(stats, ["single"]).map { try $0.decode(String?.self, at: 0) }
        #expect(batchedStats == singleStats)
        #expect(batchedStats.first??.isEmpty == false)
        let agentRows = "SELECT concat_ws(',', agent_id, messages, first_at) FROM reporting.session_agent_messages WHERE session_id = $1"
        for pair in sessions {
            let a = try await harness.postgres.query(agentRows, [pair.batch]).map { try $0.decode(String.self, at: 0) }
            let b = try await harness.postgres.query(agentRows, [pair.single]).map { try $0.decode(String.self, at: 0) }
            #expect(a == b)
        }
    }
}

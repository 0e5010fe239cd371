import Foundation
import KefuModel
import Postgres
import ReportingService
import Testing
import TestSupport

/// The reporting service as a real process: a known event history through the real events stream, then
/// every export column, every statistic, the queries and their refusals.
@Suite(.serialized)
struct ReportingServiceTests {
    static let range: [String: JSONValue] = ["from": .string("2026-11-25"), "to": .string("2026-11-26")]

    static func params(_ kind: String, _ extra: [String: JSONValue] = [:]) -> [String: JSONValue] {
        var params = range
        params["kind"] = .string(kind)
        params.merge(extra) { _, new in new }
        return params
    }

    @Test func knownHistoryGivesExactExportsStatisticsAndQueries() async throws {
        let harness = try await ReportingHarness()
        try await harness.publish(KnownHistory.entries)
        try await harness.waitUntilEventsApplied()

        try await checkExports(harness)
        try await checkStatisticsEqualARebuild(harness)
        try await checkRecordQueries(harness)
        try await checkSummary(harness)

        // The whole history again (redelivery): nothing changes.
        try await harness.publish(KnownHistory.entries)
        try await harness.waitUntilEventsApplied()
        let again = try await harness.export(Self.params("sessions"))
        #expect(try PythonCSV.parse(again.bytes).rows == KnownHistory.sessionsShanghai)
        let daily = try await harness.export(Self.params("daily"))
        #expect(try PythonCSV.parse(daily.bytes).rows == KnownHistory.dailyShanghai)
        await harness.stop()
    }

    private func checkExports(_ harness: ReportingHarness) async throws {
        let sessions = try await harness.export(Self.params("sessions"))
        #expect(sessions.filename == "kefu-sessions-2026-11-25_2026-11-26.csv")
        #expect(Array(sessions.bytes.prefix(3)) == CSVFormatter.byteOrderMark)
        let text = String(decoding: sessions.bytes.dropFirst(3), as: UTF8.self)
        #expect(text.hasPrefix("session_id,channel,visitor_id,type,"))
        #expect(text.components(separatedBy: "\r\n").count == 8, "7 records ending in CRLF")
        #expect(!text.replacingOccurrences(of: "\r\n", with: "").contains("\n"))
        let parsed = try PythonCSV.parse(sessions.bytes)
        #expect(parsed.rows == KnownHistory.sessionsShanghai)
        #expect(parsed.rows.first == ExportSQL.header(.sessions))

        let daily = try PythonCSV.parse(try await harness.export(Self.params("daily")).bytes)
        #expect(daily.rows == KnownHistory.dailyShanghai)
        #expect(daily.rows.first == ExportSQL.header(.daily))
        let categories = try PythonCSV.parse(try await harness.export(Self.params("categories")).bytes)
        #expect(categories.rows == KnownHistory.categoriesShanghai)
        let byA = try PythonCSV.parse(try await harness.export(Self.params("categories", ["agent_id": .string(KnownHistory.a)])).bytes)
        #expect(byA.rows.count == 1, "agent A wrote no summary")
        let agents = try PythonCSV.parse(try await harness.export(Self.params("agents")).bytes)
        #expect(agents.rows == KnownHistory.agentsShanghai)
        #expect(agents.rows.first == ExportSQL.header(.agents))

        let utc = try PythonCSV.parse(try await harness.export(Self.params("daily", ["tz": "UTC"])).bytes)
        #expect(utc.rows == KnownHistory.dailyUTC)
        let utcSessions = try PythonCSV.parse(try await harness.export(Self.params("sessions", ["tz": "UTC", "bom": false])).bytes)
        #expect(utcSessions.rows.count == 7)
        #expect(utcSessions.rows.last?[7] == "2026-11-25 17:00:00")

        let web = try PythonCSV.parse(try await harness.export(Self.params("sessions", ["channel": "wechat"])).bytes)
        #expect(web.rows == [KnownHistory.sessionsShanghai[0], KnownHistory.sessionsShanghai[3], KnownHistory.sessionsShanghai[4]])
        let human = try PythonCSV.parse(try await harness.export(Self.params("sessions", ["type": "human"])).bytes)
        let bot = try PythonCSV.parse(try await harness.export(Self.params("sessions", ["type": "bot"])).bytes)
        #expect(human.rows.dropFirst().allSatisfy { $0[3] == "human" } && human.rows.count > 1)
        #expect(bot.rows.dropFirst().allSatisfy { $0[3] == "bot" } && bot.rows.count > 1)
        #expect(human.rows.count + bot.rows.count - 2 == KnownHistory.sessionsShanghai.count - 1, "the two types split the sessions")
        let servedByB = try PythonCSV.parse(
            try await harness.export(Self.params("sessions", ["agent_id": .string(KnownHistory.b)])).bytes)
        #expect(servedByB.rows.map { $0[0] } == ["session_id", KnownHistory.s2.description, KnownHistory.s4.description])
        let onlyA = try PythonCSV.parse(try await harness.export(Self.params("agents", ["agent_id": .string(KnownHistory.a)])).bytes)
        #expect(onlyA.rows == [KnownHistory.agentsShanghai[0], KnownHistory.agentsShanghai[1], KnownHistory.agentsShanghai[3]])
        let noBOM = try await harness.export(Self.params("daily", ["bom": false]))
        #expect(String(decoding: noBOM.bytes.prefix(5), as: UTF8.self) == "date,")
        let empty = try await harness.export(["kind": "sessions", "from": "2020-01-01", "to": "2020-01-31"])
        #expect(try PythonCSV.parse(empty.bytes).rows == [ExportSQL.header(.sessions)])
        if parsed.pandas { print("pandas parsed the exports identically") }
    }

    private func checkStatisticsEqualARebuild(_ harness: ReportingHarness) async throws {
        let snapshot = """
            SELECT string_agg(t::text, E'\\n' ORDER BY t::text) FROM (
              SELECT day, channel, sessions, bot_sessions, human_sessions, transferred, abandoned, wait_count, wait_ms,
                     first_response_count, first_response_ms, handle_count, handle_ms, visitor_messages, bot_messages,
                     agent_messages, system_messages, ratings, rating_sum, leave_messages, bot_useful, bot_not_useful
              FROM reporting.daily_channel_stats) t
            UNION ALL
            SELECT string_agg(t::text, E'\\n' ORDER BY t::text) FROM (
              SELECT day, agent_id, sessions, first_assigned, transferred_in, transferred_out, ended, wait_count, wait_ms,
                     first_response_count, first_response_ms, handle_count, handle_ms, agent_messages, ratings, rating_sum,
                     leave_messages_closed
              FROM reporting.daily_agent_stats) t
            """
        let before = try await harness.postgres.query(snapshot).map { try $0.decode(String.self, at: 0) }
        #expect(before[0] == """
            (2026-11-25,web,3,1,2,2,0,2,130000,2,25000,2,1020000,4,3,3,1,2,9,0,2,1)
            (2026-11-25,wechat,2,1,1,2,1,1,30000,0,0,1,1800000,2,0,0,0,0,0,1,0,0)
            (2026-11-26,web,1,1,0,0,0,0,0,0,0,0,0,1,0,0,0,0,0,1,0,0)
            """)
        #expect(before[1] == """
            (2026-11-25,\(KnownHistory.a),2,2,0,1,1,2,130000,2,25000,2,520000,2,1,5,0)
            (2026-11-25,\(KnownHistory.b),2,1,1,0,2,1,30000,1,30000,2,2300000,1,1,4,0)
            (2026-11-26,\(KnownHistory.a),0,0,0,0,0,0,0,0,0,0,0,0,0,0,1)
            """)
        let rebuilt = try await harness.query("stats.rebuild", Self.range, actor: Actor(role: .service))
        #expect(rebuilt.ok && rebuilt.result?["days"]?.intValue == 2, "\(rebuilt)")
        let after = try await harness.postgres.query(snapshot).map { try $0.decode(String.self, at: 0) }
        #expect(after == before)
        let p90 = try await harness.postgres.query(
            "SELECT wait_p90_ms, p90_stale FROM reporting.daily_channel_stats WHERE channel = 'web' AND day = '2026-11-25'")
        #expect(try p90.first?.decode(Double.self, at: 0) == 109_000)
        #expect(try p90.first?.decode(Bool.self, at: 1) == false)
    }

    private func checkRecordQueries(_ harness: ReportingHarness) async throws {
        let human = try await harness.query("records.list", Self.range.merging(["type": "human", "limit": 2]) { _, new in new })
        #expect(human.ok, "\(human)")
        let firstPage = human.result?["items"]?.arrayValue?.compactMap { $0["session_id"]?.stringValue }
        #expect(firstPage == [KnownHistory.s6.description, KnownHistory.s4.description])
        let cursor = try #require(human.result?["next_cursor"]?.stringValue)
        let next = try await harness.query(
            "records.list", Self.range.merging(["type": "human", "limit": 2, "cursor": .string(cursor)]) { _, new in new })
        #expect(next.result?["items"]?.arrayValue?.compactMap { $0["session_id"]?.stringValue } == [KnownHistory.s2.description])
        #expect(next.result?["next_cursor"] == nil)

        let rated = try await harness.query("records.list", Self.range.merging(["rating": 4]) { _, new in new })
        #expect(rated.result?["items"]?.arrayValue?.count == 1)
        let record = try #require(rated.result?["items"]?.arrayValue?.first)
        #expect(record == (try await harness.query("records.get", ["session_id": .string(KnownHistory.s2.description)])).result)
        #expect(record["started_at"]?.stringValue == "2026-11-25T03:00:00.000Z")
        #expect(record["agent_ids"] == .array([.string(KnownHistory.a), .string(KnownHistory.b)]))
        #expect(record["agent_names"] == .array([.string("客服小王"), .string("=B")]))
        #expect(record["queue_wait_seconds"]?.doubleValue == 120)
        #expect(record["first_response_seconds"]?.doubleValue == 20)
        #expect(record["duration_seconds"]?.doubleValue == 900)
        #expect(record["handle_seconds"]?.doubleValue == 720)
        #expect(record["rating_comment"]?.stringValue == "=SUM(A1)")
        #expect(record["type"]?.stringValue == "human")
        #expect(record["bot_feedback_useful"] == .integer(1) && record["bot_feedback_not_useful"] == .integer(0))
        #expect(record["summary"]?["categories"] == .array(["售后/退款", "售后"]), "the later summary wins")
        #expect(record["summary"]?["note"]?.stringValue == "=已退款")
        #expect(record["summary"]?["agent_id"]?.stringValue == KnownHistory.b)
        for category in [KnownHistory.afterSales, KnownHistory.refund] {
            let filtered = try await harness.query(
                "records.list", Self.range.merging(["summary_category_id": .string(category.description)]) { _, new in new })
            #expect(filtered.result?["items"]?.arrayValue?.compactMap { $0["session_id"]?.stringValue } == [KnownHistory.s2.description])
        }
        let unknownCategory = try await harness.query(
            "records.list", Self.range.merging(["summary_category_id": .string(UUID().uuidString)]) { _, new in new })
        #expect(!unknownCategory.ok && unknownCategory.code == "unknown_category")
        let botOnly = try await harness.query("records.get", ["session_id": .string(KnownHistory.s1.description)])
        #expect(botOnly.result?["bot_feedback_useful"] == .integer(1) && botOnly.result?["bot_feedback_not_useful"] == .integer(1))
        let wechat = try await harness.query("records.list", Self.range.merging(["channel": "wechat"]) { _, new in new })
        #expect(wechat.result?["items"]?.arrayValue?.compactMap { $0["session_id"]?.stringValue }
            == [KnownHistory.s4.description, KnownHistory.s3.description])
        let byB = try await harness.query("records.list", Self.range.merging(["agent_id": .string(KnownHistory.b)]) { _, new in new })
        #expect(byB.result?["items"]?.arrayValue?.count == 2)
        let bot = try await harness.query("records.list", Self.range.merging(["type": "bot", "tz": "UTC", "to": "2026-11-25"]) { _, new in new })
        #expect(bot.result?["items"]?.arrayValue?.compactMap { $0["session_id"]?.stringValue }
            == [KnownHistory.s5.description, KnownHistory.s3.description, KnownHistory.s1.description])
        let missing = try await harness.query("records.get", ["session_id": .string(UUID().uuidString.lowercased())])
        #expect(missing.code == "unknown_session")
    }

    private func checkSummary(_ harness: ReportingHarness) async throws {
        let summary = try await harness.query("summary", Self.range)
        #expect(summary.ok, "\(summary)")
        let days = try #require(summary.result?["days"]?.arrayValue)
        #expect(days.count == 2)
        #expect(days[0]["date"] == "2026-11-25")
        #expect(days[0].numbers == [
            "sessions": 5, "bot": 2, "human": 3, "transferred": 4, "abandoned": 1, "avg_wait": 53.333,
            "avg_first_response": 12.5, "avg_handle": 940, "ratings": 2, "avg_rating": 4.5, "leave_messages": 1,
            "bot_feedback_useful": 2, "bot_feedback_not_useful": 1, "bot_resolution_rate": 0.6667,
        ])
        #expect(days[1]["date"] == "2026-11-26")
        #expect(days[1].numbers == [
            "sessions": 1, "bot": 1, "human": 0, "transferred": 0, "abandoned": 0, "ratings": 0, "leave_messages": 1,
            "bot_feedback_useful": 0, "bot_feedback_not_useful": 0,
        ])
        #expect(summary.result?["totals"]?.numbers == [
            "sessions": 6, "bot": 3, "human": 3, "transferred": 4, "abandoned": 1, "avg_wait": 53.333,
            "avg_first_response": 12.5, "avg_handle": 940, "ratings": 2, "avg_rating": 4.5, "leave_messages": 2,
            "bot_feedback_useful": 2, "bot_feedback_not_useful": 1, "bot_resolution_rate": 0.6667,
        ])
        let utc = try await harness.query("summary", Self.range.merging(["tz": "UTC", "channel": "web"]) { _, new in new })
        #expect(utc.result?["days"]?.arrayValue?.first?["sessions"] == 4)
        #expect(utc.result?["days"]?.arrayValue?.last?["sessions"] == 0)
    }

    @Test func badRequestsAreRefusedWithTheDocumentedCodes() async throws {
        let harness = try await ReportingHarness()
        try await harness.publish(Array(KnownHistory.entries.prefix(7)))
        try await harness.waitUntilEventsApplied()
        let cases: [(String, [String: JSONValue], String)] = [
            ("export.start", Self.params("sessions", ["from": "2026-13-01"]), "invalid_params"),
            ("export.start", Self.params("sessions", ["from": "2026-11-27"]), "invalid_params"),
            ("export.start", Self.params("sessions", ["to": "25/11/2026"]), "invalid_params"),
            ("export.start", Self.params("pdf"), "invalid_params"),
            ("export.start", Self.params("sessions", ["tz": "Mars/Olympus"]), "invalid_timezone"),
            ("export.start", Self.params("sessions", ["tz": "+08"]), "invalid_timezone"),
            ("export.start", Self.params("sessions", ["channel": "fax"]), "unknown_channel"),
            ("export.start", Self.params("sessions", ["channel": "Bad Channel"]), "invalid_params"),
            ("export.start", Self.params("sessions", ["agent_id": .string(UUID().uuidString)]), "unknown_agent"),
            ("export.start", Self.params("sessions", ["agent_id": "nobody"]), "invalid_params"),
            ("export.start", Self.params("daily", ["agent_id": .string(KnownHistory.a)]), "invalid_params"),
            ("export.start", Self.params("agents", ["channel": "web"]), "invalid_params"),
            ("export.start", Self.params("sessions", ["form": "2026-11-01"]), "invalid_params"),
            ("export.start", Self.params("sessions", ["bom": "yes"]), "invalid_params"),
            ("summary", ["from": "2026-01-01", "to": "2026-12-31"], "invalid_params"),
            ("records.list", ["from": "2026-11-25"], "invalid_params"),
            ("records.list", Self.range.merging(["limit": 500]) { _, new in new }, "invalid_params"),
            ("records.list", Self.range.merging(["cursor": "nonsense"]) { _, new in new }, "invalid_params"),
            ("records.list", Self.range.merging(["type": "robot"]) { _, new in new }, "invalid_params"),
            ("stats.rebuild", ["from": "2026-11-26", "to": "2026-11-25"], "invalid_params"),
            ("reports.everything", [:], "unknown_query"),
        ]
        for (name, params, code) in cases {
            let reply = try await harness.query(name, params)
            #expect(!reply.ok && reply.code == code, "\(name) \(params): \(reply)")
            #expect((reply.message ?? "").count > 10)
        }
        let agent = Actor(role: .agent, agentID: KnownHistory.agentA)
        for name in ["records.list", "records.get", "summary", "export.start", "stats.rebuild"] {
            let reply = try await harness.query(name, Self.range, actor: agent)
            #expect(reply.code == "forbidden", "\(name): \(reply)")
        }
        #expect(try await harness.query("export.start", Self.params("sessions"), actor: Actor(role: .service)).code == "forbidden")
        await harness.stop()
    }
}

extension JSONValue {
    var arrayValue: [JSONValue]? {
        if case .array(let items) = self { return items }
        return nil
    }

    /// A number whichever way JSON decoding typed it (`120.0` is encoded as `120` and read back as an integer).
    var doubleValue: Double? {
        switch self {
        case .integer(let value): return Double(value)
        case .number(let value): return value
        default: return nil
        }
    }

    /// The numeric members of an object.
    var numbers: [String: Double] {
        (objectValue ?? [:]).compactMapValues(\.doubleValue)
    }
}

extension JSONValue: ExpressibleByStringLiteral, ExpressibleByIntegerLiteral, ExpressibleByBooleanLiteral {
    public init(stringLiteral value: String) { self = .string(value) }
    public init(integerLiteral value: Int64) { self = .integer(value) }
    public init(booleanLiteral value: Bool) { self = .bool(value) }
}

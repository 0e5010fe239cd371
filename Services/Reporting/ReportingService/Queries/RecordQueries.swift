import Foundation
import KefuModel
import Postgres

/// `records.list` and `records.get`: session records as JSON objects (times RFC 3339 UTC, durations in
/// seconds, absent values omitted).
enum RecordQueries {
    /// Pages stop early when the items reach this many bytes, so a reply stays under the 64 KiB entry limit.
    static let pageByteBudget = 48 * 1024

    /// The record columns, in the order ``record(from:)`` reads them.
    static let columns = """
        s.session_id, s.channel, s.visitor_id, s.human, array_to_json(s.agent_ids)::text, \
        array_to_json(s.agent_names)::text, s.transfers, s.started_at, s.queued_at, s.assigned_at, \
        s.first_response_at, s.ended_at, reporting.ms_between(s.queued_at, s.assigned_at), \
        reporting.ms_between(s.assigned_at, s.first_response_at), reporting.ms_between(s.started_at, s.ended_at), \
        CASE WHEN s.human THEN reporting.ms_between(s.assigned_at, s.ended_at) END, s.visitor_messages, \
        s.bot_messages, s.agent_messages, s.system_messages, s.end_reason, s.left_queue, s.leave_message, \
        s.rating, s.rating_comment, (extract(epoch FROM s.started_at) * 1000000)::bigint, s.bot_useful, \
        s.bot_not_useful, array_to_json(m.category_ids)::text, array_to_json(m.categories)::text, \
        m.note, m.agent_id, m.recorded_at
        """

    /// The tables ``columns`` reads.
    static let tables = "reporting.sessions s LEFT JOIN reporting.session_summaries m ON m.session_id = s.session_id"

    static func get(_ params: [String: JSONValue], on connection: PostgresConnection) throws -> JSONValue {
        let query = try QueryParams(params, allowed: ["session_id"])
        guard let id = try query.uuid("session_id") else { throw QueryFailure.invalidParams("'session_id' is required") }
        let rows = try connection.query("SELECT \(columns) FROM \(tables) WHERE s.session_id = $1", [id])
        guard let row = rows.first else {
            throw QueryFailure("unknown_session", "no record of session \(id.uuidString.lowercased())")
        }
        return try record(from: row)
    }

    static func list(
        _ params: [String: JSONValue], defaultTimezone: String, timezones: TimezoneCatalog, on connection: PostgresConnection
    ) throws -> JSONValue {
        let query = try QueryParams(
            params, allowed: ["from", "to", "tz", "type", "channel", "agent_id", "rating", "summary_category_id", "limit", "cursor"])
        let timezone = try timezones.check(try query.string("tz") ?? defaultTimezone, on: connection)
        let range = try DateRange(from: try query.date("from"), to: try query.date("to"), timezone: timezone)
        let limit = try query.int("limit", in: 1...200) ?? 50
        var filters = [
            "s.started_at >= reporting.day_start($1::date, $3)", "s.started_at < reporting.day_start($2::date + 1, $3)",
        ]
        var values: [any PostgresEncodable] = [range.from.description, range.to.description, timezone]
        func bind(_ value: any PostgresEncodable) -> String {
            values.append(value)
            return "$\(values.count)"
        }
        if let type = try query.string("type") {
            guard type == "bot" || type == "human" else { throw QueryFailure.invalidParams("'type' must be bot or human") }
            filters.append("s.human = \(bind(type == "human"))")
        }
        if let channel = try query.channel("channel") {
            try Filters.checkChannel(channel, on: connection)
            filters.append("s.channel = \(bind(channel))")
        }
        if let agent = try query.uuid("agent_id") {
            try Filters.checkAgent(agent, on: connection)
            filters.append("\(bind(agent))::uuid = ANY (s.agent_ids)")
        }
        if let rating = try query.int("rating", in: 1...5) {
            filters.append("s.rating = \(bind(rating))")
        }
        if let category = try query.uuid("summary_category_id") {
            // A first-level category also matches the summaries naming one of its sub-categories.
            let known = try connection.query(
                "SELECT EXISTS (SELECT 1 FROM reporting.summary_categories WHERE category_id = $1)", [category])
            guard try known.first?.decode(Bool.self, at: 0) == true else {
                throw QueryFailure("unknown_category", "no summary ever named category \(category.uuidString.lowercased())")
            }
            let id = bind(category)
            filters.append(
                "m.category_ids && ARRAY(SELECT category_id FROM reporting.summary_categories "
                    + "WHERE category_id = \(id)::uuid OR parent_id = \(id)::uuid)")
        }
        if let cursor = try query.string("cursor") {
            let (micros, id) = try Self.parseCursor(cursor)
            filters.append(
                "(s.started_at, s.session_id) < ('epoch'::timestamptz + \(bind(micros)) * interval '1 microsecond', \(bind(id))::uuid)")
        }
        let rows = try connection.query(
            "SELECT \(columns) FROM \(tables) WHERE \(filters.joined(separator: " AND ")) "
                + "ORDER BY s.started_at DESC, s.session_id DESC LIMIT \(limit + 1)",
            values)
        var items: [JSONValue] = []
        var bytes = 0
        var nextCursor: String?
        let encoder = JSONEncoder()
        for (index, row) in rows.enumerated() {
            if index == limit {
                nextCursor = try cursor(of: rows[index - 1])
                break
            }
            let item = try record(from: row)
            let size = try encoder.encode(item).count
            if !items.isEmpty, bytes + size > pageByteBudget {
                nextCursor = try cursor(of: rows[index - 1])
                break
            }
            bytes += size
            items.append(item)
        }
        var result: [String: JSONValue] = ["items": .array(items)]
        if let nextCursor { result["next_cursor"] = .string(nextCursor) }
        return .object(result)
    }

    private static func cursor(of row: PostgresRow) throws -> String {
        "\(try row.decode(Int64.self, at: 25))_\(try row.decode(UUID.self, at: 0).uuidString.lowercased())"
    }

    private static func parseCursor(_ text: String) throws -> (Int64, UUID) {
        let parts = text.split(separator: "_", omittingEmptySubsequences: false)
        guard parts.count == 2, let micros = Int64(parts[0]), let id = UUID(uuidString: String(parts[1])) else {
            throw QueryFailure.invalidParams("'cursor' is not a cursor this query returned; start again without it")
        }
        return (micros, id)
    }

    /// A record object from a row of ``columns``.
    static func record(from row: PostgresRow) throws -> JSONValue {
        var object: [String: JSONValue] = [:]
        object["session_id"] = .string(try row.decode(UUID.self, at: 0).uuidString.lowercased())
        object["channel"] = .string(try row.decode(String.self, at: 1))
        object["visitor_id"] = .string(try row.decode(String.self, at: 2))
        object["type"] = .string(try row.decode(Bool.self, at: 3) ? "human" : "bot")
        let decoder = JSONDecoder()
        let ids = try decoder.decode([String].self, from: Data(try row.decode(String.self, at: 4).utf8))
        let names = try decoder.decode([String].self, from: Data(try row.decode(String.self, at: 5).utf8))
        object["agent_ids"] = .array(ids.map { .string($0) })
        object["agent_names"] = .array(names.map { .string($0) })
        object["transfers"] = .integer(Int64(try row.decode(Int.self, at: 6)))
        for (index, name) in [(7, "started_at"), (8, "queued_at"), (9, "assigned_at"), (10, "first_response_at"), (11, "ended_at")] {
            if let date = try row.decode(Date?.self, at: index) { object[name] = .string(Timestamp(date).rfc3339) }
        }
        for (index, name) in [
            (12, "queue_wait_seconds"), (13, "first_response_seconds"), (14, "duration_seconds"), (15, "handle_seconds"),
        ] {
            if let milliseconds = try row.decode(Int64?.self, at: index) { object[name] = .number(Double(milliseconds) / 1000) }
        }
        for (index, name) in [(16, "visitor_messages"), (17, "bot_messages"), (18, "agent_messages"), (19, "system_messages")] {
            object[name] = .integer(Int64(try row.decode(Int.self, at: index)))
        }
        if let reason = try row.decode(String?.self, at: 20) { object["end_reason"] = .string(reason) }
        object["left_queue"] = .bool(try row.decode(Bool.self, at: 21))
        object["leave_message"] = .bool(try row.decode(Bool.self, at: 22))
        if let rating = try row.decode(Int?.self, at: 23) { object["rating"] = .integer(Int64(rating)) }
        if let comment = try row.decode(String?.self, at: 24) { object["rating_comment"] = .string(comment) }
        object["bot_feedback_useful"] = .integer(Int64(try row.decode(Int.self, at: 26)))
        object["bot_feedback_not_useful"] = .integer(Int64(try row.decode(Int.self, at: 27)))
        if let at = try row.decode(Date?.self, at: 32) {
            let ids = try decoder.decode([String].self, from: Data(try row.decode(String.self, at: 28).utf8))
            let labels = try decoder.decode([String].self, from: Data(try row.decode(String.self, at: 29).utf8))
            var summary: [String: JSONValue] = [
                "category_ids": .array(ids.map { .string($0) }), "categories": .array(labels.map { .string($0) }),
                "note": .string(try row.decode(String?.self, at: 30) ?? ""), "at": .string(Timestamp(at).rfc3339),
            ]
            if let agent = try row.decode(UUID?.self, at: 31) { summary["agent_id"] = .string(agent.uuidString.lowercased()) }
            object["summary"] = .object(summary)
        }
        return .object(object)
    }
}

/// Existence checks for filters: an unknown channel or agent is a clear 404, not an empty result.
public enum Filters {
    /// Checks the channel and agent filters of an export.
    public static func check(_ request: ExportRequest, on connection: PostgresConnection) throws {
        if let channel = request.channel { try checkChannel(channel, on: connection) }
        if let agent = request.agentID { try checkAgent(agent, on: connection) }
    }

    static func checkChannel(_ channel: String, on connection: PostgresConnection) throws {
        let rows = try connection.query(
            "SELECT EXISTS (SELECT 1 FROM reporting.sessions WHERE channel = $1) OR EXISTS (SELECT 1 FROM reporting.leave_messages WHERE channel = $1)",
            [channel])
        guard try rows.first?.decode(Bool.self, at: 0) == true else {
            throw QueryFailure("unknown_channel", "no session was ever recorded on channel '\(channel)'")
        }
    }

    static func checkAgent(_ agent: UUID, on connection: PostgresConnection) throws {
        let rows = try connection.query("SELECT EXISTS (SELECT 1 FROM reporting.agents WHERE agent_id = $1)", [agent])
        guard try rows.first?.decode(Bool.self, at: 0) == true else {
            throw QueryFailure("unknown_agent", "no session was ever served by agent \(agent.uuidString.lowercased())")
        }
    }
}

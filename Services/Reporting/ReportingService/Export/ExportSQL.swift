import Foundation

/// The SQL of each CSV export: `COPY (SELECT …) TO STDOUT WITH (FORMAT csv, HEADER)`, so PostgreSQL formats
/// and quotes every row and the service only streams bytes. Column aliases are the CSV header names
/// documented in `docs/exports.md`; free-text cells go through `reporting.csv_guard` (formula injection).
public enum ExportSQL {
    /// What to run for one export: statements that prepare the data (refreshing p90 values), then the COPY.
    public struct Plan: Sendable, Equatable {
        /// Run first, in order, outside the COPY.
        public let prepare: [String]
        /// The `COPY … TO STDOUT` statement.
        public let copy: String
    }

    /// The header row of each export, in order.
    public static func header(_ kind: ExportKind) -> [String] {
        switch kind {
        case .sessions:
            return [
                "session_id", "channel", "visitor_id", "type", "agent_ids", "agent_names", "transfers", "started_at",
                "queued_at", "assigned_at", "first_response_at", "ended_at", "queue_wait_seconds",
                "first_response_seconds", "duration_seconds", "handle_seconds", "visitor_messages", "bot_messages",
                "agent_messages", "system_messages", "end_reason", "left_queue", "leave_message", "rating",
                "rating_comment", "group", "summary_categories", "summary_note",
            ]
        case .daily:
            return [
                "date", "channel", "sessions", "bot_sessions", "human_sessions", "transferred_to_human",
                "abandoned_in_queue", "avg_queue_wait_seconds", "p90_queue_wait_seconds", "avg_first_response_seconds",
                "avg_handle_seconds", "visitor_messages", "bot_messages", "agent_messages", "system_messages", "ratings",
                "avg_rating", "leave_messages", "bot_feedback_useful", "bot_feedback_not_useful", "bot_resolution_rate",
            ]
        case .agents:
            return [
                "date", "agent_id", "agent_name", "sessions", "first_assigned", "transferred_in", "transferred_out",
                "ended_sessions", "avg_queue_wait_seconds", "p90_queue_wait_seconds", "avg_first_response_seconds",
                "avg_handle_seconds", "agent_messages", "ratings", "avg_rating", "leave_messages_closed",
            ]
        case .categories:
            return [
                "category_id", "parent_name", "category_name", "sessions", "agents", "avg_handle_seconds", "ratings",
                "avg_rating",
            ]
        }
    }

    /// The plan for `request`. Statistics come from the tables when the request's timezone is the one they
    /// are kept in (`statsTimezone`), else they are computed from the records for that timezone.
    /// - Parameter quote: quotes a string as an SQL literal (`PQescapeLiteral`); COPY takes no parameters.
    public static func plan(
        _ request: ExportRequest, statsTimezone: String, quote: (String) throws -> String
    ) throws -> Plan {
        let range = request.range
        let from = try quote(range.from.description) + "::date"
        let to = try quote(range.to.description) + "::date"
        let tz = try quote(range.timezone)
        let fromTables = range.timezone == statsTimezone
        let prepare = fromTables ? ["SELECT reporting.refresh_p90(\(from), \(to), \(tz))"] : []
        let select: String
        switch request.kind {
        case .sessions:
            var filters = [
                "s.started_at >= reporting.day_start(\(from), \(tz))",
                "s.started_at < reporting.day_start(\(to) + 1, \(tz))",
            ]
            if let channel = request.channel { filters.append("s.channel = \(try quote(channel))") }
            if let type = request.type { filters.append(type == .human ? "s.human" : "NOT s.human") }
            if let agent = request.agentID {
                filters.append("\(try quote(agent.uuidString.lowercased()))::uuid = ANY (s.agent_ids)")
            }
            select = sessions(tz: tz, filters: filters)
        case .daily:
            let source = fromTables
                ? "(SELECT * FROM reporting.daily_channel_stats WHERE day BETWEEN \(from) AND \(to))"
                : "reporting.channel_stats_for(\(from), \(to), \(tz))"
            let filter = try request.channel.map { "WHERE d.channel = \(try quote($0))" } ?? ""
            select = daily(source: source, filter: filter)
        case .agents:
            let source = fromTables
                ? "(SELECT * FROM reporting.daily_agent_stats WHERE day BETWEEN \(from) AND \(to))"
                : "reporting.agent_stats_for(\(from), \(to), \(tz))"
            let filter = try request.agentID.map { "WHERE d.agent_id = \(try quote($0.uuidString.lowercased()))::uuid" } ?? ""
            select = agents(source: source, filter: filter)
        case .categories:
            let channel = try request.channel.map(quote) ?? "NULL"
            let agent = try request.agentID.map { try quote($0.uuidString.lowercased()) + "::uuid" } ?? "NULL::uuid"
            select = categories(source: "reporting.category_stats_for(\(from), \(to), \(tz), \(channel), \(agent))")
        }
        return Plan(prepare: prepare, copy: "COPY (\(select)) TO STDOUT WITH (FORMAT csv, HEADER)")
    }

    /// A local time in the export's timezone, `YYYY-MM-DD HH:MM:SS`.
    private static func local(_ column: String, _ tz: String) -> String {
        "to_char(\(column) AT TIME ZONE \(tz), 'YYYY-MM-DD HH24:MI:SS')"
    }

    private static func flag(_ column: String) -> String {
        "CASE WHEN \(column) THEN 'true' ELSE 'false' END"
    }

    private static func sessions(tz: String, filters: [String]) -> String {
        """
        SELECT s.session_id, s.channel, reporting.csv_guard(s.visitor_id) AS visitor_id, \
        CASE WHEN s.human THEN 'human' ELSE 'bot' END AS type, \
        array_to_string(s.agent_ids, ';') AS agent_ids, \
        reporting.csv_guard(array_to_string(s.agent_names, ';')) AS agent_names, s.transfers, \
        \(local("s.started_at", tz)) AS started_at, \(local("s.queued_at", tz)) AS queued_at, \
        \(local("s.assigned_at", tz)) AS assigned_at, \(local("s.first_response_at", tz)) AS first_response_at, \
        \(local("s.ended_at", tz)) AS ended_at, \
        reporting.seconds(reporting.ms_between(s.queued_at, s.assigned_at)) AS queue_wait_seconds, \
        reporting.seconds(reporting.ms_between(s.assigned_at, s.first_response_at)) AS first_response_seconds, \
        reporting.seconds(reporting.ms_between(s.started_at, s.ended_at)) AS duration_seconds, \
        CASE WHEN s.human THEN reporting.seconds(reporting.ms_between(s.assigned_at, s.ended_at)) END AS handle_seconds, \
        s.visitor_messages, s.bot_messages, s.agent_messages, s.system_messages, s.end_reason, \
        \(flag("s.left_queue")) AS left_queue, \(flag("s.leave_message")) AS leave_message, s.rating, \
        reporting.csv_guard(s.rating_comment) AS rating_comment, s.group_id AS "group", \
        reporting.csv_guard(array_to_string(m.categories, ';')) AS summary_categories, \
        reporting.csv_guard(m.note) AS summary_note \
        FROM reporting.sessions s LEFT JOIN reporting.session_summaries m ON m.session_id = s.session_id WHERE \(filters.joined(separator: " AND ")) \
        ORDER BY s.started_at, s.session_id
        """
    }

    private static let averages = """
        reporting.avg_seconds(d.wait_ms, d.wait_count) AS avg_queue_wait_seconds, \
        reporting.seconds(d.wait_p90_ms) AS p90_queue_wait_seconds, \
        reporting.avg_seconds(d.first_response_ms, d.first_response_count) AS avg_first_response_seconds, \
        reporting.avg_seconds(d.handle_ms, d.handle_count) AS avg_handle_seconds
        """

    private static let rating = "CASE WHEN d.ratings > 0 THEN round(d.rating_sum::numeric / d.ratings, 2) END AS avg_rating"

    private static func daily(source: String, filter: String) -> String {
        """
        SELECT to_char(d.day, 'YYYY-MM-DD') AS date, d.channel, d.sessions, d.bot_sessions, d.human_sessions, \
        d.transferred AS transferred_to_human, d.abandoned AS abandoned_in_queue, \(averages), \
        d.visitor_messages, d.bot_messages, d.agent_messages, d.system_messages, d.ratings, \(rating), \
        d.leave_messages, d.bot_useful AS bot_feedback_useful, d.bot_not_useful AS bot_feedback_not_useful, \
        CASE WHEN d.bot_useful + d.bot_not_useful > 0 \
        THEN round(d.bot_useful::numeric / (d.bot_useful + d.bot_not_useful), 4) END AS bot_resolution_rate \
        FROM \(source) d \(filter) ORDER BY d.day, d.channel
        """
    }

    private static func categories(source: String) -> String {
        """
        SELECT d.category_id, reporting.csv_guard(d.parent_name) AS parent_name, \
        reporting.csv_guard(d.category_name) AS category_name, d.sessions, d.agents, \
        reporting.avg_seconds(d.handle_ms, d.handle_count) AS avg_handle_seconds, d.ratings, \
        CASE WHEN d.ratings > 0 THEN round(d.rating_sum::numeric / d.ratings, 2) END AS avg_rating \
        FROM \(source) d ORDER BY d.parent_name NULLS FIRST, d.category_name, d.category_id
        """
    }

    private static func agents(source: String, filter: String) -> String {
        """
        SELECT to_char(d.day, 'YYYY-MM-DD') AS date, d.agent_id, reporting.csv_guard(a.name) AS agent_name, \
        d.sessions, d.first_assigned, d.transferred_in, d.transferred_out, d.ended AS ended_sessions, \
        \(averages), d.agent_messages, d.ratings, \(rating), d.leave_messages_closed \
        FROM \(source) d LEFT JOIN reporting.agents a ON a.agent_id = d.agent_id \(filter) \
        ORDER BY d.day, d.agent_id
        """
    }
}

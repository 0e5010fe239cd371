import Foundation
import KefuModel
import Postgres

/// `summary`: the report page's figures per day and in total, summed over channels (or one channel).
enum SummaryQuery {
    /// Longest range answered, so that one reply stays under the 64 KiB entry limit.
    static let maxDays = 186

    static func run(
        _ params: [String: JSONValue], statsTimezone: String, timezones: TimezoneCatalog, on connection: PostgresConnection
    ) throws -> JSONValue {
        let query = try QueryParams(params, allowed: ["from", "to", "tz", "channel"])
        let timezone = try timezones.check(try query.string("tz") ?? statsTimezone, on: connection)
        let range = try DateRange(from: try query.date("from"), to: try query.date("to"), timezone: timezone, maxDays: maxDays)
        var values: [any PostgresEncodable] = [range.from.description, range.to.description]
        let source: String
        if timezone == statsTimezone {
            try connection.query("SELECT reporting.refresh_p90($1::date, $2::date, $3)", [range.from.description, range.to.description, timezone])
            source = "reporting.daily_channel_stats"
        } else {
            values.append(timezone)
            source = "reporting.channel_stats_for($1::date, $2::date, $3)"
        }
        var channelFilter = ""
        if let channel = try query.channel("channel") {
            try Filters.checkChannel(channel, on: connection)
            values.append(channel)
            channelFilter = "AND d.channel = $\(values.count)"
        }
        let rows = try connection.query(
            """
            SELECT to_char(g.day, 'YYYY-MM-DD'), coalesce(sum(d.sessions), 0)::bigint, coalesce(sum(d.bot_sessions), 0)::bigint,
                   coalesce(sum(d.human_sessions), 0)::bigint, coalesce(sum(d.transferred), 0)::bigint,
                   coalesce(sum(d.abandoned), 0)::bigint, coalesce(sum(d.wait_count), 0)::bigint,
                   coalesce(sum(d.wait_ms), 0)::bigint, coalesce(sum(d.first_response_count), 0)::bigint,
                   coalesce(sum(d.first_response_ms), 0)::bigint, coalesce(sum(d.handle_count), 0)::bigint,
                   coalesce(sum(d.handle_ms), 0)::bigint, coalesce(sum(d.ratings), 0)::bigint,
                   coalesce(sum(d.rating_sum), 0)::bigint, coalesce(sum(d.leave_messages), 0)::bigint,
                   coalesce(sum(d.bot_useful), 0)::bigint, coalesce(sum(d.bot_not_useful), 0)::bigint
            FROM generate_series($1::date, $2::date, interval '1 day') AS g(day)
            LEFT JOIN \(source) d ON d.day = g.day::date \(channelFilter)
            GROUP BY g.day ORDER BY g.day
            """,
            values)
        var totals = [Int64](repeating: 0, count: 16)
        var days: [JSONValue] = []
        for row in rows {
            var sums: [Int64] = []
            for index in 1...16 { sums.append(try row.decode(Int64.self, at: index)) }
            for index in 0..<16 { totals[index] += sums[index] }
            var day = figures(sums)
            day["date"] = .string(try row.decode(String.self, at: 0))
            days.append(.object(day))
        }
        return .object(["days": .array(days), "totals": .object(figures(totals))])
    }

    /// The JSON figures from sums in the SELECT's order (after the date).
    private static func figures(_ f: [Int64]) -> [String: JSONValue] {
        var object: [String: JSONValue] = [
            "sessions": .integer(f[0]), "bot": .integer(f[1]), "human": .integer(f[2]), "transferred": .integer(f[3]),
            "abandoned": .integer(f[4]), "ratings": .integer(f[11]), "leave_messages": .integer(f[13]),
        ]
        func average(_ sum: Int64, _ count: Int64) -> JSONValue? {
            count > 0 ? .number((Double(sum) / Double(count)).rounded() / 1000) : nil
        }
        object["avg_wait"] = average(f[6], f[5])
        object["avg_first_response"] = average(f[8], f[7])
        object["avg_handle"] = average(f[10], f[9])
        if f[11] > 0 { object["avg_rating"] = .number((Double(f[12]) * 100 / Double(f[11])).rounded() / 100) }
        object["bot_feedback_useful"] = .integer(f[14])
        object["bot_feedback_not_useful"] = .integer(f[15])
        if f[14] + f[15] > 0 {
            object["bot_resolution_rate"] = .number((Double(f[14]) * 10_000 / Double(f[14] + f[15])).rounded() / 10_000)
        }
        return object
    }
}

/// `stats.rebuild` and `kefu stats rebuild`: replaces the statistics of a date range (in the statistics
/// timezone) with an aggregation of the records, under the exclusive statistics lock.
public enum StatsRebuild {
    /// Rebuilds `[from, to]` on `connection` (inside the caller's transaction); returns the number of days.
    public static func run(from: LocalDate, to: LocalDate, timezone: String, on connection: PostgresConnection) throws -> Int {
        let rows = try connection.query(
            "SELECT reporting.rebuild_stats($1::date, $2::date, $3)", [from.description, to.description, timezone])
        return try rows.first?.decode(Int.self, at: 0) ?? 0
    }

    static func query(_ params: [String: JSONValue], statsTimezone: String, on connection: PostgresConnection) throws -> JSONValue {
        let query = try QueryParams(params, allowed: ["from", "to"])
        let range = try DateRange(from: try query.date("from"), to: try query.date("to"), timezone: statsTimezone)
        let days = try run(from: range.from, to: range.to, timezone: statsTimezone, on: connection)
        return .object(["days": .integer(Int64(days))])
    }
}

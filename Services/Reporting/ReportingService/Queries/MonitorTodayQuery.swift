import Foundation
import KefuModel
import Postgres

/// `monitor.today`: the monitor's (监控) counters for today in the statistics timezone: sessions, bot-only
/// sessions, human sessions, ratings and first response from the same daily statistics the reports read
/// (sessions by start day); from the records, the sessions that joined the queue today and the sessions
/// started today that an agent transferred to another (转接).
enum MonitorTodayQuery {
    static func run(statsTimezone: String, on connection: PostgresConnection) throws -> JSONValue {
        let row = try connection.query(
            """
            WITH d AS (SELECT (now() AT TIME ZONE $1)::date AS day)
            SELECT to_char(d.day, 'YYYY-MM-DD'),
                   coalesce(sum(s.sessions), 0)::bigint, coalesce(sum(s.bot_sessions), 0)::bigint,
                   coalesce(sum(s.human_sessions), 0)::bigint,
                   (SELECT count(*) FROM reporting.sessions r
                    WHERE r.started_at >= reporting.day_start(d.day, $1) AND r.started_at < reporting.day_start(d.day + 1, $1)
                      AND r.transfers > 0),
                   coalesce(sum(s.first_response_count), 0)::bigint, coalesce(sum(s.first_response_ms), 0)::bigint,
                   coalesce(sum(s.ratings), 0)::bigint, coalesce(sum(s.rating_sum), 0)::bigint,
                   (SELECT count(*) FROM reporting.sessions r
                    WHERE r.queued_at >= reporting.day_start(d.day, $1) AND r.queued_at < reporting.day_start(d.day + 1, $1))
            FROM d LEFT JOIN reporting.daily_channel_stats s ON s.day = d.day
            GROUP BY d.day
            """, [statsTimezone]).first
        guard let row else { return .object([:]) }
        var f: [Int64] = []
        for index in 1...9 { f.append(try row.decode(Int64.self, at: index)) }
        var object: [String: JSONValue] = [
            "date": .string(try row.decode(String.self, at: 0)), "tz": .string(statsTimezone),
            "sessions": .integer(f[0]), "bot": .integer(f[1]), "human": .integer(f[2]), "transferred": .integer(f[3]),
            "queued": .integer(f[8]), "ratings": .integer(f[6]),
        ]
        if f[4] > 0 { object["avg_first_response"] = .number((Double(f[5]) / Double(f[4])).rounded() / 1000) }
        if f[6] > 0 { object["avg_rating"] = .number((Double(f[7]) * 100 / Double(f[6])).rounded() / 100) }
        return .object(object)
    }
}

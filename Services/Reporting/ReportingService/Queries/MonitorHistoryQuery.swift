import Foundation
import KefuModel
import Postgres

/// `monitor.history`: the monitor's (监控) charts for the last `minutes` (1–180, default 60), one point per
/// minute ending now, from reporting's records: visitors waiting in a queue at that moment (queued, not yet
/// assigned or ended), the longest and the average of their waits in seconds, and the agents serving at least
/// one session (an assignment or transfer segment open at that moment).
enum MonitorHistoryQuery {
    static func run(_ params: [String: JSONValue], on connection: PostgresConnection) throws -> JSONValue {
        let minutes = try QueryParams(params, allowed: ["minutes"]).int("minutes", in: 1...180) ?? 60
        let rows = try connection.query(
            """
            WITH m AS (SELECT now() - k * interval '1 minute' AS t FROM generate_series($1::int - 1, 0, -1) k),
            q AS (SELECT queued_at, coalesce(assigned_at, ended_at) AS left_at FROM reporting.sessions
                  WHERE queued_at <= now() AND queued_at > now() - interval '1 day' - make_interval(mins => $1::int)
                    AND (coalesce(assigned_at, ended_at) IS NULL OR coalesce(assigned_at, ended_at) > now() - make_interval(mins => $1::int))),
            a AS (SELECT sa.agent_id, sa.at, coalesce(sa.until, s.ended_at) AS until FROM reporting.session_agents sa
                  JOIN reporting.sessions s ON s.session_id = sa.session_id
                  WHERE sa.at <= now() AND (coalesce(sa.until, s.ended_at) IS NULL
                                            OR coalesce(sa.until, s.ended_at) > now() - make_interval(mins => $1::int)))
            SELECT to_char(m.t AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"'),
                   (SELECT count(*) FROM q WHERE q.queued_at <= m.t AND (q.left_at IS NULL OR q.left_at > m.t)),
                   (SELECT coalesce(round(max(extract(epoch FROM m.t - q.queued_at))), 0)::bigint FROM q
                    WHERE q.queued_at <= m.t AND (q.left_at IS NULL OR q.left_at > m.t)),
                   (SELECT coalesce(round(avg(extract(epoch FROM m.t - q.queued_at))), 0)::bigint FROM q
                    WHERE q.queued_at <= m.t AND (q.left_at IS NULL OR q.left_at > m.t)),
                   (SELECT count(DISTINCT a.agent_id) FROM a WHERE a.at <= m.t AND (a.until IS NULL OR a.until > m.t))
            FROM m ORDER BY m.t
            """, [Int64(minutes)])
        let points = try rows.map { row in
            JSONValue.object([
                "at": .string(try row.decode(String.self, at: 0)), "queued": .integer(try row.decode(Int64.self, at: 1)),
                "longest_wait": .integer(try row.decode(Int64.self, at: 2)),
                "average_wait": .integer(try row.decode(Int64.self, at: 3)),
                "serving_agents": .integer(try row.decode(Int64.self, at: 4)),
            ])
        }
        return .object(["minutes": .integer(Int64(minutes)), "points": .array(points)])
    }
}

import Postgres

/// Generated session records for benchmarks and memory tests (never used by the service itself): `count`
/// sessions spread evenly over `days` days from `firstDay` (UTC), on three channels, a quarter of them
/// human (served by one of twenty agents, with queue waits, first responses and some ratings with comments
/// that need CSV quoting), a quarter abandoned in the queue. Written straight into `reporting.sessions` and
/// `reporting.agents` in batches of 100,000 rows.
public enum SyntheticRecords {
    /// Inserts the records; returns how many were inserted.
    @discardableResult
    public static func insert(count: Int, firstDay: LocalDate, days: Int, postgres: PostgresClient) async throws -> Int {
        try await postgres.execute(
            """
            INSERT INTO reporting.agents (agent_id, name, name_at)
            SELECT ('00000000-0000-4000-8000-' || lpad(to_hex(a), 12, '0'))::uuid, '客服' || a, now()
            FROM generate_series(0, 19) a ON CONFLICT DO NOTHING
            """)
        let span = Int64(days) * 86_400
        var start = 0
        while start < count {
            let end = min(count, start + 100_000)
            try await postgres.execute(
                """
                INSERT INTO reporting.sessions (
                    session_id, channel, visitor_id, started_at, created_seen, queued_at, assigned_at, first_response_at,
                    ended_at, end_reason, end_agent_id, ended_human, first_agent_id, agent_ids, agent_names,
                    visitor_messages, bot_messages, agent_messages, rating, rating_comment, rated_at, rating_agent_id,
                    last_seq)
                SELECT gen_random_uuid(), (ARRAY['web', 'wechat', 'app'])[1 + g.i % 3], 'visitor-' || g.i, g.t, true,
                    CASE WHEN g.i % 2 = 0 THEN g.t + interval '20 seconds' END,
                    CASE WHEN g.human THEN g.t + interval '20 seconds' + (g.i % 97) * interval '1 second' END,
                    CASE WHEN g.human THEN g.t + interval '25 seconds' + (g.i % 97 + g.i % 13) * interval '1 second' END,
                    g.t + interval '10 minutes',
                    CASE WHEN g.human THEN 'agent' WHEN g.i % 4 = 2 THEN 'queue_exit' ELSE 'visitor_button' END,
                    CASE WHEN g.human THEN g.agent END, g.human, CASE WHEN g.human THEN g.agent END,
                    CASE WHEN g.human THEN ARRAY[g.agent] ELSE '{}'::uuid[] END,
                    CASE WHEN g.human THEN ARRAY['客服' || (g.i % 20)] ELSE '{}'::text[] END,
                    3 + g.i % 5, 2 + g.i % 3, CASE WHEN g.human THEN 4 ELSE 0 END,
                    CASE WHEN g.human AND g.i % 8 = 0 THEN 1 + g.i % 5 END,
                    CASE WHEN g.human AND g.i % 16 = 0 THEN '很好，谢谢 "客服", 已解决' END,
                    CASE WHEN g.human AND g.i % 8 = 0 THEN g.t + interval '11 minutes' END,
                    CASE WHEN g.human AND g.i % 8 = 0 THEN g.agent END, 12
                FROM (
                    SELECT i, i % 4 = 0 AS human,
                           ('00000000-0000-4000-8000-' || lpad(to_hex(i % 20), 12, '0'))::uuid AS agent,
                           $1::date::timestamptz + (i::bigint * $2 / $3) * interval '1 second' AS t
                    FROM generate_series($4::int, $5::int) AS i
                ) g
                """,
                [firstDay.description, span, Int64(count), start, end - 1])
            start = end
        }
        return count
    }
}

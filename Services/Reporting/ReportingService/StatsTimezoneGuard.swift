import Logging
import Postgres
import ServiceLifecycle
import ServiceRuntime

/// Keeps the statistics tables in the configured timezone: at start (after migrations) it records
/// `KEFU_REPORTING_TZ` in `reporting.meta` the first time, and when the variable changed since, rebuilds
/// every day of statistics from the records in the new timezone, in one transaction under the exclusive
/// statistics lock (event handlers wait meanwhile).
struct StatsTimezoneGuard: Service {
    let timezone: String
    let context: ServiceContext

    func run() async throws {
        do {
            try await cancelWhenGracefulShutdown {
                try await context.readiness.wait(for: .migrations)
                let previous = try await alignRetrying()
                if let previous, previous != timezone {
                    context.logger.notice(
                        "statistics rebuilt for a new KEFU_REPORTING_TZ", metadata: ["from": "\(previous)", "to": "\(timezone)"])
                }
                try await gracefulShutdown()
            }
        } catch is CancellationError {
            return
        }
    }

    private func alignRetrying() async throws -> String? {
        var delay = Duration.milliseconds(200)
        while true {
            do {
                return try await context.postgres.transaction { [timezone] connection in
                    try Self.align(timezone: timezone, on: connection)
                }
            } catch let error as CancellationError {
                throw error
            } catch {
                context.logger.warning(
                    "checking the statistics timezone failed; retrying", metadata: ["error": "\(error)", "retry_in": "\(delay)"])
                try await Task.sleep(for: delay)
                delay = min(delay * 2, .seconds(5))
            }
        }
    }

    /// Records or applies the timezone; returns the one the tables were in before (nil the first time).
    static func align(timezone: String, on connection: PostgresConnection) throws -> String? {
        try connection.query("SELECT pg_advisory_xact_lock(hashtext('kefu.reporting.stats'))")
        let rows = try connection.query("SELECT value FROM reporting.meta WHERE key = 'stats_tz'")
        let previous = try rows.first?.decode(String.self, at: 0)
        if previous == timezone { return previous }
        if previous != nil {
            try connection.query("DELETE FROM reporting.daily_channel_stats")
            try connection.query("DELETE FROM reporting.daily_agent_stats")
            try connection.query(
                """
                SELECT reporting.rebuild_stats(min(d), max(d), $1) FROM (
                    SELECT (started_at AT TIME ZONE $1)::date AS d FROM reporting.sessions
                    UNION ALL SELECT (created_at AT TIME ZONE $1)::date FROM reporting.leave_messages
                    UNION ALL SELECT (closed_at AT TIME ZONE $1)::date FROM reporting.leave_messages WHERE closed_at IS NOT NULL
                ) days HAVING count(*) > 0
                """,
                [timezone])
        }
        try connection.query(
            "INSERT INTO reporting.meta (key, value) VALUES ('stats_tz', $1) ON CONFLICT (key) DO UPDATE SET value = excluded.value",
            [timezone])
        return previous
    }
}

/// The timezone the statistics tables are kept in, as recorded by the running service.
public enum StatsTimezone {
    /// `reporting.meta.stats_tz`, or nil before the service first started.
    public static func recorded(on connection: PostgresConnection) throws -> String? {
        let rows = try connection.query("SELECT value FROM reporting.meta WHERE key = 'stats_tz'")
        return try rows.first?.decode(String.self, at: 0)
    }
}

import Logging
import Postgres
import ServiceLifecycle
import ServiceRuntime

/// Deletes sessions that ended more than `retentionDays` ago, with their events, images and files, a few rows
/// per statement so that no statement holds locks for long and the consumers never wait behind it.
///
/// Order per round: events, images, files, then the session rows left without any of them. A purge
/// interrupted half-way leaves sessions that the next round finishes. With `retentionDays` 0 it deletes
/// nothing (keep forever) and only waits for the shutdown, as a service of the group must. Every instance
/// may run it: concurrent purges delete disjoint or already deleted rows.
struct RetentionPurge: Service {
    let settings: StoreSettings
    let postgres: PostgresClient
    let readiness: Readiness?
    let logger: Logger

    func run() async throws {
        guard settings.retentionDays > 0 else {
            try? await gracefulShutdown()
            return
        }
        do {
            try await cancelWhenGracefulShutdown {
                if let readiness { try await readiness.wait(for: .migrations) }
                while true {
                    do {
                        try await purgeOnce()
                    } catch let error as CancellationError {
                        throw error
                    } catch {
                        logger.warning("retention purge failed; retrying at the next interval", metadata: ["error": "\(error)"])
                    }
                    try await Task.sleep(for: settings.purgeInterval)
                }
            }
        } catch is CancellationError {
            return
        }
    }

    /// Deletes everything past retention now; returns the rows deleted (events, images, sessions).
    @discardableResult
    func purgeOnce() async throws -> (events: Int, images: Int, sessions: Int) {
        let days = settings.retentionDays
        guard days > 0 else { return (0, 0, 0) }
        let batch = settings.purgeBatchSize
        let expired = "SELECT session_id FROM store.sessions WHERE ended_at < now() - make_interval(days => $1)"
        let events = try await repeatDeleting(
            """
            DELETE FROM store.events WHERE ctid = ANY (ARRAY(
                SELECT e.ctid FROM store.events AS e WHERE e.session_id IN (\(expired)) LIMIT $2))
            """, days: days, batch: batch)
        let images = try await repeatDeleting(
            """
            DELETE FROM store.images WHERE image_id = ANY (ARRAY(
                SELECT i.image_id FROM store.images AS i WHERE i.session_id IN (\(expired)) LIMIT $2))
            """, days: days, batch: batch)
        let files = try await repeatDeleting(
            """
            DELETE FROM store.files WHERE file_id = ANY (ARRAY(
                SELECT f.file_id FROM store.files AS f WHERE f.session_id IN (\(expired)) LIMIT $2))
            """, days: days, batch: batch)
        let sessions = try await repeatDeleting(
            """
            DELETE FROM store.sessions WHERE session_id = ANY (ARRAY(
                SELECT s.session_id FROM store.sessions AS s
                WHERE s.ended_at < now() - make_interval(days => $1)
                  AND NOT EXISTS (SELECT 1 FROM store.events AS e WHERE e.session_id = s.session_id)
                  AND NOT EXISTS (SELECT 1 FROM store.images AS i WHERE i.session_id = s.session_id)
                  AND NOT EXISTS (SELECT 1 FROM store.files AS f WHERE f.session_id = s.session_id)
                LIMIT $2))
            """, days: days, batch: batch)
        if events + images + files + sessions > 0 {
            logger.info(
                "retention purge deleted ended sessions",
                metadata: [
                    "retention_days": "\(days)", "events": "\(events)", "images": "\(images)", "files": "\(files)", "sessions": "\(sessions)",
                ])
        }
        return (events, images, sessions)
    }

    /// Runs `sql` (one bounded `DELETE`, its own transaction) until it deletes nothing; returns the total.
    private func repeatDeleting(_ sql: String, days: Int, batch: Int) async throws -> Int {
        var total = 0
        while true {
            let deleted = try await postgres.execute(sql, [days, batch])
            total += deleted
            if deleted < batch { return total }
            try await Task.sleep(for: settings.purgePause)
        }
    }
}

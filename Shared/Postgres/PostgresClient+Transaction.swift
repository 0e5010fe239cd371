import CLibpq
import Logging

/// Transaction isolation levels for ``PostgresClient/transaction(isolation:maxAttempts:_:)``.
public enum PostgresIsolationLevel: String, Sendable, CaseIterable {
    case readCommitted = "READ COMMITTED"
    case repeatableRead = "REPEATABLE READ"
    case serializable = "SERIALIZABLE"
}

extension PostgresClient {
    /// Runs `body` inside `BEGIN ISOLATION LEVEL …` / `COMMIT` on one connection.
    ///
    /// If `body` throws, the transaction is rolled back and the error rethrown. On a serialization
    /// failure (40001) or deadlock (40P01), from `body` or from COMMIT, the whole body is run again on
    /// a fresh transaction after a short jittered backoff, up to `maxAttempts` runs in all, so `body`
    /// must have no side effects outside the database. `.connectionLost` is never retried: whether
    /// the COMMIT landed is unknown.
    public func transaction<T: Sendable>(
        isolation: PostgresIsolationLevel = .readCommitted,
        maxAttempts: Int = 5,
        _ body: @escaping @Sendable (PostgresConnection) throws -> T
    ) async throws -> T {
        var attempt = 1
        while true {
            do {
                return try await withConnection { connection in
                    try connection.runTransaction(isolation: isolation, body)
                }
            } catch let error as PostgresError where error.isTransient && attempt < max(1, maxAttempts) {
                logger.debug(
                    "Retrying transaction",
                    metadata: ["attempt": "\(attempt)", "error": "\(error)"])
                let ceiling = min(10 * (1 << min(attempt, 5)), 200)
                try await Task.sleep(for: .milliseconds(Int.random(in: ceiling / 2...ceiling)))
                attempt += 1
            }
        }
    }
}

extension PostgresConnection {
    /// BEGIN, run `body`, COMMIT; ROLLBACK if anything throws.
    /// BEGIN is queued, so it travels with the body's first statement; statements the body queued travel
    /// with COMMIT.
    func runTransaction<T>(isolation: PostgresIsolationLevel, _ body: (PostgresConnection) throws -> T) throws -> T {
        queue("BEGIN ISOLATION LEVEL \(isolation.rawValue)")
        transactionNotes = []
        do {
            let value = try body(self)
            for participant in participants {
                try participant.beforeCommit(self)
            }
            try commit()
            return value
        } catch {
            discardQueued()
            if isInTransaction {
                try? simpleQuery("ROLLBACK")
            }
            throw error
        }
    }

    /// COMMIT, refusing to report success for a transaction that an earlier (caught) error aborted:
    /// the server would answer such a COMMIT with ROLLBACK.
    ///
    /// A transaction aborted by a caught error commits only if statements still queued recover it (a queued
    /// `ROLLBACK TO SAVEPOINT`): a `SELECT 1` goes before COMMIT then, and fails if they did not.
    func commit() throws(PostgresError) {
        let aborted = !isBroken && PQtransactionStatus(handle) == PQTRANS_INERROR
        if queued.isEmpty && pendingSavepoints.isEmpty {
            if aborted {
                try simpleQuery("ROLLBACK")
                throw .query(sqlState: "25P02", message: "transaction was aborted by an earlier error and has been rolled back")
            }
            try simpleQuery("COMMIT")
        } else {
            _ = try pipeline((aborted ? [PostgresStatement("SELECT 1")] : []) + [PostgresStatement("COMMIT")])
        }
    }
}

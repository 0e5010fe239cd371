import Foundation
import KefuModel
import Postgres

/// Idempotency keys of state-changing requests in `gateway.idempotency_keys`.
///
/// The first request with a key stores its body hash and the envelope id it will send; a repeat with the
/// same body returns the stored response (or, if the first never got one, sends the same envelope again,
/// which readers deduplicate); a repeat with another body is refused with 409 `idempotency_conflict`.
struct IdempotencyStore: Sendable {
    let postgres: PostgresClient

    /// What to do with a request.
    enum Decision: Sendable {
        /// Send with this envelope id and record the response.
        case proceed(EventID)
        /// Answer with the stored response.
        case replay(status: Int, body: [UInt8])
    }

    /// Claims `key` in `scope` for a body whose hash is `hash`.
    func begin(scope: String, key: String, hash: [UInt8]) async throws -> Decision {
        let candidate = UUID()
        let rows = try await postgres.query(
            """
            WITH inserted AS (
              INSERT INTO gateway.idempotency_keys (scope, key, request_hash, envelope_id) VALUES ($1, $2, $3, $4)
              ON CONFLICT (scope, key) DO NOTHING RETURNING envelope_id, request_hash, status, response
            )
            SELECT envelope_id, request_hash, status, response FROM inserted
            UNION ALL
            SELECT envelope_id, request_hash, status, response FROM gateway.idempotency_keys WHERE scope = $1 AND key = $2
            LIMIT 1
            """,
            [scope, key, hash, candidate])
        guard let row = rows.first else { return .proceed(EventID(candidate)) }
        let storedHash = try row.decode([UInt8].self, at: 1)
        guard storedHash == hash else {
            throw APIError.conflict(
                "idempotency_conflict", "the key \(key) was already used with a different request body; use a new key")
        }
        if !row.isNull(at: 2), !row.isNull(at: 3) {
            return .replay(status: try row.decode(Int.self, at: 2), body: try row.decode([UInt8].self, at: 3))
        }
        return .proceed(EventID(try row.decode(UUID.self, at: 0)))
    }

    /// Records the response of a successful request.
    func finish(scope: String, key: String, status: Int, body: [UInt8]) async throws {
        try await postgres.execute(
            "UPDATE gateway.idempotency_keys SET status = $3, response = $4 WHERE scope = $1 AND key = $2",
            [scope, key, status, body])
    }

    /// Deletes keys older than `days`.
    func purge(olderThanDays days: Int) async throws -> Int {
        try await postgres.execute(
            "DELETE FROM gateway.idempotency_keys WHERE created_at < now() - make_interval(days => $1)", [days])
    }
}

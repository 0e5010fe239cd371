import Foundation
import KefuModel
import Postgres

/// The `gateway.webhook_endpoints` and `gateway.webhook_deliveries` tables.
struct WebhookStore: Sendable {
    let postgres: PostgresClient

    /// How long a rotated-out secret stays valid.
    static let previousSecretLifetimeSeconds = 86_400

    private static let endpointColumns = """
        id, url, description, array_to_json(event_types)::text, array_to_json(channels)::text, timeout_ms, enabled,
        disabled_reason, disabled_at, consecutive_failures, failing_since,
        CASE WHEN previous_secret_expires_at > now() THEN previous_secret_expires_at END, created_at, updated_at
        """

    private static func endpoint(_ row: PostgresRow) throws -> WebhookEndpoint {
        WebhookEndpoint(
            id: try row.decode(UUID.self, at: 0), url: try row.decode(String.self, at: 1),
            description: try row.decode(String.self, at: 2),
            eventTypes: try JSONDecoder().decode([String].self, from: Data(try row.decode(String.self, at: 3).utf8)),
            channels: try JSONDecoder().decode([String].self, from: Data(try row.decode(String.self, at: 4).utf8)),
            timeoutMs: try row.decode(Int.self, at: 5), enabled: try row.decode(Bool.self, at: 6),
            disabledReason: try row.decode(String?.self, at: 7), disabledAt: try row.decode(Date?.self, at: 8).map(Timestamp.init),
            consecutiveFailures: try row.decode(Int.self, at: 9), failingSince: try row.decode(Date?.self, at: 10).map(Timestamp.init),
            previousSecretExpiresAt: try row.decode(Date?.self, at: 11).map(Timestamp.init),
            createdAt: Timestamp(try row.decode(Date.self, at: 12)), updatedAt: Timestamp(try row.decode(Date.self, at: 13)))
    }

    // MARK: Endpoints

    func create(
        url: String, eventTypes: [String], channels: [String], description: String, timeoutMs: Int, enabled: Bool, by agent: UUID
    ) async throws -> (WebhookEndpoint, String) {
        let secret = WebhookSigner.newSecret()
        let rows = try await postgres.query(
            """
            INSERT INTO gateway.webhook_endpoints (id, url, description, event_types, channels, secret, timeout_ms, enabled, created_by)
            VALUES ($1, $2, $3, $4::text[], $5::text[], $6, $7, $8, $9)
            RETURNING \(Self.endpointColumns)
            """,
            [UUID(), url, description, PostgresArray.literal(eventTypes), PostgresArray.literal(channels), secret, timeoutMs,
             enabled, agent])
        return (try Self.endpoint(rows[0]), secret)
    }

    func list() async throws -> [WebhookEndpoint] {
        try await postgres.query("SELECT \(Self.endpointColumns) FROM gateway.webhook_endpoints ORDER BY created_at").map(Self.endpoint)
    }

    func get(_ id: UUID) async throws -> WebhookEndpoint? {
        try await postgres.query("SELECT \(Self.endpointColumns) FROM gateway.webhook_endpoints WHERE id = $1", [id]).first.map(Self.endpoint)
    }

    /// Applies `changes` (already validated); enabling clears the failure counters.
    func update(_ id: UUID, _ changes: WebhookEndpointChanges) async throws -> WebhookEndpoint? {
        let rows = try await postgres.query(
            """
            UPDATE gateway.webhook_endpoints SET
                url = coalesce($2, url), description = coalesce($3, description),
                event_types = coalesce($4::text[], event_types), channels = coalesce($5::text[], channels),
                timeout_ms = coalesce($6, timeout_ms), enabled = coalesce($7, enabled),
                disabled_reason = CASE WHEN $7 IS NULL THEN disabled_reason WHEN $7 THEN NULL ELSE 'disabled by an admin' END,
                disabled_at = CASE WHEN $7 IS NULL THEN disabled_at WHEN $7 THEN NULL ELSE now() END,
                consecutive_failures = CASE WHEN $7 THEN 0 ELSE consecutive_failures END,
                failing_since = CASE WHEN $7 THEN NULL ELSE failing_since END,
                updated_at = now()
            WHERE id = $1
            RETURNING \(Self.endpointColumns)
            """,
            [id, changes.url, changes.description, changes.eventTypes.map(PostgresArray.literal),
             changes.channels.map(PostgresArray.literal), changes.timeoutMs, changes.enabled])
        return try rows.first.map(Self.endpoint)
    }

    /// A new secret; the current one stays valid for a day.
    func rotateSecret(_ id: UUID) async throws -> (WebhookEndpoint, String)? {
        let secret = WebhookSigner.newSecret()
        let rows = try await postgres.query(
            """
            UPDATE gateway.webhook_endpoints SET previous_secret = secret, secret = $2,
                previous_secret_expires_at = now() + make_interval(secs => $3), updated_at = now()
            WHERE id = $1
            RETURNING \(Self.endpointColumns)
            """,
            [id, secret, Self.previousSecretLifetimeSeconds])
        return try rows.first.map { (try Self.endpoint($0), secret) }
    }

    // MARK: Deliveries (admin)

    private static let deliveryColumns = """
        id, event_id::text, event_type, session_id::text, seq, status, attempts,
        CASE WHEN status IN ('pending', 'failed') THEN next_attempt_at END, last_status_code, last_latency_ms, last_error,
        last_attempt_at, delivered_at, created_at
        """

    private static func delivery(_ row: PostgresRow) throws -> WebhookDelivery {
        WebhookDelivery(
            id: String(try row.decode(Int64.self, at: 0)), webhookID: try row.decode(String.self, at: 1),
            eventType: try row.decode(String.self, at: 2), sessionID: try row.decode(String?.self, at: 3),
            seq: try row.decode(Int?.self, at: 4), status: try row.decode(String.self, at: 5), attempts: try row.decode(Int.self, at: 6),
            nextAttemptAt: try row.decode(Date?.self, at: 7).map(Timestamp.init), lastStatusCode: try row.decode(Int?.self, at: 8),
            lastLatencyMs: try row.decode(Int?.self, at: 9), lastError: try row.decode(String?.self, at: 10),
            lastAttemptAt: try row.decode(Date?.self, at: 11).map(Timestamp.init),
            deliveredAt: try row.decode(Date?.self, at: 12).map(Timestamp.init), createdAt: Timestamp(try row.decode(Date.self, at: 13)))
    }

    /// The newest deliveries of an endpoint (before the delivery id `before`), optionally of one status.
    func deliveries(endpoint: UUID, status: String?, before: Int64?, limit: Int) async throws -> [WebhookDelivery] {
        try await postgres.query(
            """
            SELECT \(Self.deliveryColumns) FROM gateway.webhook_deliveries
            WHERE endpoint_id = $1 AND ($2::text IS NULL OR status = $2) AND ($3::bigint IS NULL OR id < $3)
            ORDER BY id DESC LIMIT $4
            """,
            [endpoint, status, before, limit]).map(Self.delivery)
    }

    /// Sends a delivery again now with a fresh retry window, together with the dead and blocked deliveries
    /// of its session (which wait for each other in `seq` order). Nil when there is no such delivery or it
    /// is being sent right now.
    func retry(endpoint: UUID, delivery: Int64) async throws -> WebhookDelivery? {
        let rows = try await postgres.query(
            """
            WITH target AS (
                SELECT id, session_id FROM gateway.webhook_deliveries
                WHERE endpoint_id = $1 AND id = $2 AND (lease_until IS NULL OR lease_until <= now())
            ), changed AS (
                UPDATE gateway.webhook_deliveries d SET status = 'pending', next_attempt_at = now(), retry_since = now(), lease_until = NULL
                FROM target t
                WHERE d.endpoint_id = $1 AND (d.id = t.id OR (d.session_id = t.session_id AND d.status IN ('dead', 'blocked')))
                    AND (d.lease_until IS NULL OR d.lease_until <= now())
                RETURNING d.*
            )
            SELECT \(Self.deliveryColumns) FROM changed WHERE id = $2
            """,
            [endpoint, delivery])
        return try rows.first.map(Self.delivery)
    }

    /// Queues again the deliveries created in [from, to) that were not delivered (or all of them): same
    /// `webhook-id`, a fresh retry window. Returns how many.
    func replay(endpoint: UUID, from: Date, to: Date, includeDelivered: Bool) async throws -> Int {
        let statuses = includeDelivered ? ["failed", "dead", "blocked", "delivered"] : ["failed", "dead", "blocked"]
        return try await postgres.execute(
            """
            UPDATE gateway.webhook_deliveries SET status = 'pending', next_attempt_at = now(), retry_since = now(), lease_until = NULL
            WHERE endpoint_id = $1 AND created_at >= $2 AND created_at < $3 AND status = ANY($4::text[])
                AND (lease_until IS NULL OR lease_until <= now())
            """,
            [endpoint, from, to, PostgresArray.literal(statuses)])
    }

    // MARK: Deliveries (consumer and dispatcher)

    /// One set-based insert for a batch of events: a row per (enabled endpoint whose types and channels
    /// match, event); repeats are ignored. A session event behind a dead or blocked one is blocked at once.
    /// Returns the endpoints that got rows.
    func insert(_ events: [WebhookEvent]) async throws -> [UUID] {
        guard !events.isEmpty else { return [] }
        let rows = try await postgres.query(
            """
            WITH inserted AS (
                INSERT INTO gateway.webhook_deliveries (endpoint_id, event_id, event_type, channel, session_id, seq, body, event_time, status)
                SELECT ep.id, e.event_id, e.type, e.channel, e.session_id, e.seq, e.body, e.time,
                    CASE WHEN e.seq IS NOT NULL AND EXISTS (
                        SELECT 1 FROM gateway.webhook_deliveries p
                        WHERE p.endpoint_id = ep.id AND p.session_id = e.session_id AND p.status IN ('dead', 'blocked') AND p.seq < e.seq
                    ) THEN 'blocked' ELSE 'pending' END
                FROM unnest($1::uuid[], $2::text[], $3::text[], $4::uuid[], $5::bigint[], $6::text[], $7::timestamptz[])
                    AS e(event_id, type, channel, session_id, seq, body, time)
                JOIN gateway.webhook_endpoints ep
                    ON ep.enabled AND e.type = ANY(ep.event_types) AND (cardinality(ep.channels) = 0 OR e.channel = ANY(ep.channels))
                ON CONFLICT (endpoint_id, event_id) DO NOTHING
                RETURNING endpoint_id
            )
            SELECT DISTINCT endpoint_id FROM inserted
            """,
            [PostgresArray.literal(events.map(\.eventID)), PostgresArray.literal(events.map(\.type)),
             PostgresArray.literal(events.map(\.channel)), PostgresArray.literal(events.map(\.sessionID)),
             PostgresArray.literal(events.map { $0.seq.map(String.init) }), PostgresArray.literal(events.map(\.body)),
             PostgresArray.literal(events.map { $0.time.rfc3339 })])
        return try rows.map { try $0.decode(UUID.self, at: 0) }
    }

    /// Endpoints with deliveries still to send (started at boot and by the sweep).
    func endpointsWithWork() async throws -> [UUID] {
        try await postgres.query(
            """
            SELECT DISTINCT d.endpoint_id FROM gateway.webhook_deliveries d JOIN gateway.webhook_endpoints e ON e.id = d.endpoint_id
            WHERE d.status IN ('pending', 'failed') AND e.enabled
            """
        ).map { try $0.decode(UUID.self, at: 0) }
    }

    /// The condition that a delivery `d` is the first undelivered one of its session for its endpoint.
    private static let isHead = """
        (d.seq IS NULL OR d.session_id IS NULL OR NOT EXISTS (
            SELECT 1 FROM gateway.webhook_deliveries p
            WHERE p.endpoint_id = d.endpoint_id AND p.session_id = d.session_id
                AND p.status IN ('pending', 'failed', 'dead', 'blocked') AND p.seq < d.seq))
        """

    /// The condition that `d` may go now as far as order goes: it directly follows a delivery of its session
    /// to this endpoint (or is the session's first event), or it has waited `$grace` milliseconds for an
    /// earlier one that another instance's consumer may still be inserting.
    private static let isSettled = """
        ($GRACE::int = 0 OR d.seq IS NULL OR d.session_id IS NULL OR d.seq = 1
            OR d.created_at <= now() - make_interval(secs => $GRACE::int / 1000.0)
            OR EXISTS (SELECT 1 FROM gateway.webhook_deliveries q
                WHERE q.endpoint_id = d.endpoint_id AND q.session_id = d.session_id AND q.seq = d.seq - 1))
        """

    /// Leases up to `limit` due deliveries of an endpoint, each the first undelivered one of its session,
    /// skipping rows another instance holds; counts the attempt. The lease lasts `leaseRounds` times the
    /// endpoint's timeout plus the margin (the claim is sent in that many rounds at most), so a crashed
    /// instance's rows are sent again soon after.
    func claim(endpoint: UUID, limit: Int, leaseRounds: Int, leaseMarginSeconds: Int, graceMilliseconds: Int) async throws -> [ClaimedDelivery] {
        let rows = try await postgres.query(
            """
            WITH picked AS (
                SELECT d.id FROM gateway.webhook_deliveries d
                WHERE d.endpoint_id = $1 AND d.status IN ('pending', 'failed') AND d.next_attempt_at <= now()
                    AND (d.lease_until IS NULL OR d.lease_until <= now()) AND \(Self.isHead)
                    AND \(Self.isSettled.replacingOccurrences(of: "$GRACE", with: "$5"))
                ORDER BY d.next_attempt_at, d.id
                LIMIT $2
                FOR UPDATE OF d SKIP LOCKED
            )
            UPDATE gateway.webhook_deliveries d
            SET lease_until = now() + make_interval(secs => e.timeout_ms / 1000.0 * $4 + $3), attempts = d.attempts + 1, last_attempt_at = now()
            FROM picked, gateway.webhook_endpoints e
            WHERE d.id = picked.id AND e.id = d.endpoint_id AND e.enabled
            RETURNING d.id, d.event_id::text, d.body, d.attempts, d.retry_since, e.url, e.secret,
                CASE WHEN e.previous_secret_expires_at > now() THEN e.previous_secret END, e.timeout_ms
            """,
            [endpoint, limit, leaseMarginSeconds, leaseRounds, graceMilliseconds])
        return try rows.map { row in
            ClaimedDelivery(
                id: try row.decode(Int64.self, at: 0), webhookID: try row.decode(String.self, at: 1), body: try row.decode(String.self, at: 2),
                attempts: try row.decode(Int.self, at: 3), retrySince: try row.decode(Date.self, at: 4), url: try row.decode(String.self, at: 5),
                secrets: [try row.decode(String.self, at: 6)] + (try row.decode(String?.self, at: 7).map { [$0] } ?? []),
                timeoutMs: try row.decode(Int.self, at: 8))
        }
    }

    /// When the endpoint's next delivery is due (a session's first undelivered one, once its lease ends);
    /// nil when nothing is left to send or the endpoint is disabled.
    func nextDue(endpoint: UUID, graceMilliseconds: Int) async throws -> Date? {
        let rows = try await postgres.query(
            """
            SELECT min(greatest(d.next_attempt_at, coalesce(d.lease_until, d.next_attempt_at),
                CASE WHEN \(Self.isSettled.replacingOccurrences(of: "$GRACE", with: "$2")) THEN d.next_attempt_at
                    ELSE d.created_at + make_interval(secs => $2::int / 1000.0) END))
            FROM gateway.webhook_deliveries d JOIN gateway.webhook_endpoints e ON e.id = d.endpoint_id AND e.enabled
            WHERE d.endpoint_id = $1 AND d.status IN ('pending', 'failed') AND \(Self.isHead)
            """,
            [endpoint, graceMilliseconds])
        return try rows.first?.decode(Date?.self, at: 0)
    }

    /// Records a round of attempts in one statement: each delivery's outcome, the later deliveries of a
    /// session whose delivery died become blocked, and the endpoint's failure counters (disabling it when it
    /// has failed `minFailures` times in a row for `disableAfterSeconds`). Returns whether it is still enabled.
    func record(
        _ outcomes: [DeliveryOutcome], endpoint: UUID, minFailures: Int, disableAfterSeconds: Int
    ) async throws -> Bool {
        guard !outcomes.isEmpty else { return true }
        let successes = outcomes.filter { $0.status == .delivered }.count
        let rows = try await postgres.query(
            """
            WITH r AS (
                SELECT * FROM unnest($1::bigint[], $2::text[], $3::int[], $4::int[], $5::text[], $6::timestamptz[])
                    AS r(id, status, code, latency, error, next_at)
            ), u AS (
                UPDATE gateway.webhook_deliveries d SET status = r.status, last_status_code = r.code, last_latency_ms = r.latency,
                    last_error = r.error, next_attempt_at = coalesce(r.next_at, d.next_attempt_at), lease_until = NULL,
                    delivered_at = CASE WHEN r.status = 'delivered' THEN now() ELSE d.delivered_at END
                FROM r WHERE d.id = r.id
                RETURNING d.endpoint_id, d.session_id, d.seq, d.status
            ), b AS (
                UPDATE gateway.webhook_deliveries d SET status = 'blocked', lease_until = NULL
                FROM u WHERE u.status = 'dead' AND u.seq IS NOT NULL AND d.endpoint_id = u.endpoint_id
                    AND d.session_id = u.session_id AND d.seq > u.seq AND d.status IN ('pending', 'failed')
                RETURNING d.id
            )
            UPDATE gateway.webhook_endpoints e SET
                consecutive_failures = CASE WHEN $7::int > 0 THEN 0 ELSE e.consecutive_failures + $8::int END,
                failing_since = CASE WHEN $7::int > 0 THEN NULL ELSE coalesce(e.failing_since, now()) END,
                enabled = e.enabled AND NOT ($7::int = 0 AND e.consecutive_failures + $8::int >= $9::int
                    AND coalesce(e.failing_since, now()) <= now() - make_interval(secs => $10::int)),
                disabled_reason = CASE WHEN e.enabled AND $7::int = 0 AND e.consecutive_failures + $8::int >= $9::int
                    AND coalesce(e.failing_since, now()) <= now() - make_interval(secs => $10::int)
                    THEN 'failing: ' || (e.consecutive_failures + $8::int) || ' failed attempts in a row since ' || e.failing_since
                    ELSE e.disabled_reason END,
                disabled_at = CASE WHEN e.enabled AND $7::int = 0 AND e.consecutive_failures + $8::int >= $9::int
                    AND coalesce(e.failing_since, now()) <= now() - make_interval(secs => $10::int) THEN now() ELSE e.disabled_at END
            WHERE e.id = $11
            RETURNING e.enabled
            """,
            [PostgresArray.literal(outcomes.map { String($0.id) }), PostgresArray.literal(outcomes.map(\.status.rawValue)),
             PostgresArray.literal(outcomes.map { $0.statusCode.map(String.init) }), PostgresArray.literal(outcomes.map { String($0.latencyMs) }),
             PostgresArray.literal(outcomes.map(\.error)), PostgresArray.literal(outcomes.map { $0.nextAttemptAt.map { Timestamp($0).rfc3339 } }),
             successes, outcomes.count - successes, minFailures, disableAfterSeconds, endpoint])
        return try rows.first?.decode(Bool.self, at: 0) ?? false
    }

    /// Deletes deliveries older than `days` that are finished (delivered or dead).
    func purge(olderThanDays days: Int) async throws -> Int {
        try await postgres.execute(
            "DELETE FROM gateway.webhook_deliveries WHERE created_at < now() - make_interval(days => $1) AND status IN ('delivered', 'dead')",
            [days])
    }
}

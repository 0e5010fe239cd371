-- Webhook endpoints registered by admins and one delivery row per (endpoint, event).
CREATE TABLE webhook_endpoints (
    id uuid PRIMARY KEY,
    url text NOT NULL,
    description text NOT NULL DEFAULT '',
    event_types text[] NOT NULL,
    channels text[] NOT NULL DEFAULT '{}',
    secret text NOT NULL,
    previous_secret text,
    previous_secret_expires_at timestamptz,
    timeout_ms int NOT NULL,
    enabled boolean NOT NULL DEFAULT true,
    disabled_reason text,
    disabled_at timestamptz,
    consecutive_failures int NOT NULL DEFAULT 0,
    failing_since timestamptz,
    created_by uuid,
    created_at timestamptz NOT NULL DEFAULT now(),
    updated_at timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE webhook_deliveries (
    id bigserial PRIMARY KEY,
    endpoint_id uuid NOT NULL REFERENCES webhook_endpoints (id) ON DELETE CASCADE,
    event_id uuid NOT NULL,
    event_type text NOT NULL,
    channel text,
    session_id uuid,
    seq bigint,
    body text NOT NULL,
    event_time timestamptz NOT NULL,
    status text NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'failed', 'delivered', 'dead', 'blocked')),
    attempts int NOT NULL DEFAULT 0,
    next_attempt_at timestamptz NOT NULL DEFAULT now(),
    lease_until timestamptz,
    retry_since timestamptz NOT NULL DEFAULT now(),
    last_status_code int,
    last_latency_ms int,
    last_error text,
    last_attempt_at timestamptz,
    delivered_at timestamptz,
    created_at timestamptz NOT NULL DEFAULT now(),
    UNIQUE (endpoint_id, event_id)
);

-- Undelivered work of an endpoint, by due time; the same rows per session in seq order (ordering checks).
CREATE INDEX webhook_deliveries_due ON webhook_deliveries (endpoint_id, next_attempt_at)
    WHERE status IN ('pending', 'failed');
CREATE INDEX webhook_deliveries_session ON webhook_deliveries (endpoint_id, session_id, seq)
    WHERE status IN ('pending', 'failed', 'dead', 'blocked');
CREATE INDEX webhook_deliveries_recent ON webhook_deliveries (endpoint_id, id DESC);
CREATE INDEX webhook_deliveries_created ON webhook_deliveries (created_at);

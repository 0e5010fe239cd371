-- Tables the service runtime keeps in every service's schema.

-- Producer event ids already applied by a consumer group: recorded in the same transaction as the
-- effect, so a redelivered entry is recognised and skipped (at-least-once made idempotent).
CREATE TABLE processed_events (
    consumer_group text NOT NULL,
    event_id uuid NOT NULL,
    processed_at timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (consumer_group, event_id)
);

CREATE INDEX processed_events_processed_at ON processed_events (processed_at);

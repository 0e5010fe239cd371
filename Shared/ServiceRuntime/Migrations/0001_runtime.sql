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

-- Events to publish, written in the same transaction as the state change that caused them (the outbox):
-- a relay XADDs them in id order and marks them published. A relay that crashes between XADD and the
-- mark leaves the claim to expire, and the entry is published again (consumers dedupe by event id).
CREATE TABLE outbox (
    id bigserial PRIMARY KEY,
    stream text NOT NULL,
    event_id uuid NOT NULL UNIQUE,
    payload bytea NOT NULL,
    created_at timestamptz NOT NULL DEFAULT now(),
    claimed_until timestamptz,
    published_at timestamptz
);

CREATE INDEX outbox_unpublished ON outbox (id) WHERE published_at IS NULL;
CREATE INDEX outbox_published_at ON outbox (published_at) WHERE published_at IS NOT NULL;

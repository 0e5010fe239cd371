-- API channels (issue 14): a channel an integrator's own backend drives over HTTP with an API key instead
-- of a Redis connector. Its human-service rules stay in routing's per-channel settings like any channel's.
CREATE TABLE api_channels (
    name text PRIMARY KEY,
    display_name text NOT NULL,
    created_by uuid,
    created_at timestamptz NOT NULL DEFAULT now()
);

-- The keys of an API channel (several per channel): only the SHA-256 of the key is kept, with a short
-- non-secret prefix for display. `revoked_at` in the future is a rotation's grace period.
CREATE TABLE api_keys (
    id uuid PRIMARY KEY,
    channel text NOT NULL REFERENCES api_channels (name) ON DELETE CASCADE,
    key_hash bytea NOT NULL UNIQUE,
    prefix text NOT NULL,
    label text NOT NULL DEFAULT '',
    created_by uuid,
    created_at timestamptz NOT NULL DEFAULT now(),
    revoked_at timestamptz
);

CREATE INDEX api_keys_channel ON api_keys (channel);

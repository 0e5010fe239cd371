-- Staff accounts, their login tokens and the idempotency keys of requests that must not run twice.

-- Agent and admin accounts (客服 / 管理员). The id is the AgentID used on every stream.
CREATE TABLE accounts (
    id uuid PRIMARY KEY,
    username text NOT NULL,
    display_name text NOT NULL,
    role text NOT NULL CHECK (role IN ('agent', 'admin')),
    password_hash text NOT NULL,
    capacity integer NOT NULL CHECK (capacity BETWEEN 0 AND 50),
    disabled boolean NOT NULL DEFAULT false,
    created_at timestamptz NOT NULL DEFAULT now(),
    updated_at timestamptz NOT NULL DEFAULT now()
);

CREATE UNIQUE INDEX accounts_username ON accounts (lower(username));

-- Opaque bearer tokens: only their SHA-256 is kept. A login creates one family (an access and a refresh
-- token); refreshing rotates both within the family; logout revokes the family.
CREATE TABLE tokens (
    token_hash bytea PRIMARY KEY,
    account_id uuid NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
    family uuid NOT NULL,
    kind text NOT NULL CHECK (kind IN ('access', 'refresh')),
    expires_at timestamptz NOT NULL,
    revoked_at timestamptz,
    created_at timestamptz NOT NULL DEFAULT now()
);

CREATE INDEX tokens_family ON tokens (family);
CREATE INDEX tokens_account ON tokens (account_id);
CREATE INDEX tokens_expires_at ON tokens (expires_at);

-- Idempotency keys of state-changing requests (sends, uploads): the first request's body hash and, once
-- answered, its response. A replay with the same body gets the stored response; with another body, 409.
CREATE TABLE idempotency_keys (
    scope text NOT NULL,
    key text NOT NULL,
    request_hash bytea NOT NULL,
    envelope_id uuid NOT NULL,
    status integer,
    response bytea,
    created_at timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (scope, key)
);

CREATE INDEX idempotency_keys_created_at ON idempotency_keys (created_at);

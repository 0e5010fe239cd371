-- The conversation store: every session event from the events stream, one row per session, and images.
-- Applied with search_path set to the service's schema (`store`).

-- Every event of a session, in the session's sequence. Both keys make a redelivered event a no-op: the
-- producer's event id and the session's sequence number (a second event claiming a taken seq is ignored).
CREATE TABLE events (
    session_id uuid NOT NULL,
    seq bigint NOT NULL CHECK (seq >= 1),
    type text NOT NULL,
    time timestamptz NOT NULL,
    -- message.accepted only: visitor, bot, agent or system.
    sender text,
    -- The agent the event names: the writer of a message, the assignee, the transfer's new agent, the
    -- agent serving at the end or at the rating.
    agent_id uuid,
    -- message.accepted only: the masked text, or the image reference ({ image_id | url, mime_type }).
    text text,
    image jsonb,
    -- The event's whole `data` object as received.
    data jsonb NOT NULL,
    event_id uuid NOT NULL UNIQUE,
    PRIMARY KEY (session_id, seq)
);

-- history.page with kinds=messages walks only the messages of a session.
CREATE INDEX events_messages ON events (session_id, seq) WHERE type = 'message.accepted';

-- One row per session, maintained from its events in the same transaction; order-independent, so
-- batches handled concurrently (read loop, claim loop, several instances) converge on the same row.
CREATE TABLE sessions (
    session_id uuid PRIMARY KEY,
    channel text NOT NULL,
    visitor_id text NOT NULL,
    -- The earliest event time seen (the session.created time once it is stored).
    started_at timestamptz NOT NULL,
    -- The session.ended time; NULL while open.
    ended_at timestamptz,
    -- Whether the session reached a human agent.
    human boolean NOT NULL DEFAULT false,
    -- The agents assigned or transferred to the session, in the order they joined (by seq); with
    -- agent_keys (2 × seq of joining, minus 1 for a transfer's giver) so that merges keep that order.
    agent_ids uuid[] NOT NULL DEFAULT '{}',
    agent_keys bigint[] NOT NULL DEFAULT '{}',
    last_seq bigint NOT NULL DEFAULT 0,
    message_count integer NOT NULL DEFAULT 0
);

CREATE INDEX sessions_visitor ON sessions (channel, visitor_id, started_at DESC);
CREATE INDEX sessions_ended_at ON sessions (ended_at) WHERE ended_at IS NOT NULL;

-- Uploaded images, checked by their bytes (PNG, JPEG, GIF, WebP; at most 5 MiB). request_id is the
-- image.put request's envelope id: a redelivered request answers with the image it already stored.
CREATE TABLE images (
    image_id uuid PRIMARY KEY,
    session_id uuid NOT NULL,
    uploader_role text NOT NULL CHECK (uploader_role IN ('visitor', 'agent', 'admin')),
    -- The visitor id (with uploader_channel) or the agent id.
    uploader_id text NOT NULL,
    uploader_channel text,
    mime_type text NOT NULL CHECK (mime_type IN ('image/png', 'image/jpeg', 'image/gif', 'image/webp')),
    bytes bytea NOT NULL,
    size integer NOT NULL CHECK (size > 0 AND size <= 5242880),
    request_id uuid NOT NULL UNIQUE,
    created_at timestamptz NOT NULL DEFAULT now()
);

CREATE INDEX images_session ON images (session_id);

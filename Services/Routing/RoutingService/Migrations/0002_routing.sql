-- The routing schema: sessions and their state, agents and their load, settings, audits, leave-a-message.
-- Routing is the only writer of these tables.

-- Agents (客服). `load` is the number of sessions currently assigned; routing never raises it to or past
-- `capacity` (自动接入人数). Presence: a heartbeat sets `present_until`; `absent_since` is set when the
-- ticker sees it lapse and cleared by the next heartbeat.
CREATE TABLE agents (
    id uuid PRIMARY KEY,
    name text NOT NULL,
    capacity integer NOT NULL CHECK (capacity BETWEEN 0 AND 50),
    enabled boolean NOT NULL DEFAULT true,
    status text NOT NULL DEFAULT 'offline' CHECK (status IN ('online', 'stop_accepting', 'offline')),
    present_until timestamptz,
    absent_since timestamptz,
    load integer NOT NULL DEFAULT 0 CHECK (load >= 0),
    idle_since timestamptz NOT NULL DEFAULT now(),
    last_assigned_at timestamptz,
    created_at timestamptz NOT NULL DEFAULT now(),
    updated_at timestamptz NOT NULL DEFAULT now()
);

CREATE INDEX agents_assignable ON agents (load, idle_since, id) WHERE status = 'online' AND enabled;

-- Sessions. `last_seq` is the session's event sequence: every event of the session takes
-- `last_seq + 1` while the row is locked, so the numbers have no gaps. At most one open session
-- (bot, queued, assigned) per visitor.
CREATE TABLE sessions (
    id uuid PRIMARY KEY,
    channel text NOT NULL,
    visitor_id text NOT NULL,
    state text NOT NULL CHECK (state IN ('bot', 'queued', 'assigned', 'ended', 'left')),
    last_seq bigint NOT NULL DEFAULT 0,
    agent_id uuid REFERENCES agents (id),
    priority integer NOT NULL DEFAULT 10 CHECK (priority BETWEEN 0 AND 100),
    -- When the session last joined the queue (kept after assignment, for audits and the FIFO check). Set
    -- again when the enqueuing transaction commits (trigger below), so queue order is commit order.
    enqueued_at timestamptz,
    enqueue_stamped boolean NOT NULL DEFAULT true,
    queue_reason text,
    unanswered integer NOT NULL DEFAULT 0,
    pending_question_seq bigint,
    pending_question_at timestamptz,
    attributes jsonb NOT NULL DEFAULT '{}'::jsonb,
    human boolean NOT NULL DEFAULT false,
    created_at timestamptz NOT NULL DEFAULT now(),
    first_assigned_at timestamptz,
    assigned_at timestamptz,
    ended_at timestamptz,
    end_reason text CHECK (end_reason IN (
        'visitor_button', 'visitor_phrase', 'agent', 'idle_timeout', 'queue_exit', 'queue_timeout', 'no_service')),
    last_activity_at timestamptz NOT NULL DEFAULT now(),
    idle_warned_at timestamptz,
    rating_invited boolean NOT NULL DEFAULT false,
    rated boolean NOT NULL DEFAULT false,
    -- The last queue.position published, so a new one goes out only when something changed.
    published_position integer,
    published_ahead integer,
    published_eta integer,
    CHECK ((state = 'assigned') = (agent_id IS NOT NULL)),
    CHECK (state <> 'queued' OR enqueued_at IS NOT NULL)
);

CREATE UNIQUE INDEX sessions_one_open_per_visitor ON sessions (channel, visitor_id)
    WHERE state IN ('bot', 'queued', 'assigned');
CREATE INDEX sessions_queue ON sessions (priority, enqueued_at, id) WHERE state = 'queued';
CREATE INDEX sessions_by_agent ON sessions (agent_id) WHERE state = 'assigned';
CREATE INDEX sessions_by_visitor ON sessions (channel, visitor_id, created_at);
-- Queue order is the order in which entries became visible: a deferred trigger re-stamps `enqueued_at` when
-- the enqueuing transaction commits, so a request handled early in a long batch does not overtake, from the
-- assigner's point of view, one that was already waiting when the batch committed.
CREATE FUNCTION stamp_enqueued_at() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    EXECUTE format(
        'UPDATE %I.sessions SET enqueued_at = clock_timestamp(), enqueue_stamped = true WHERE id = $1 AND NOT enqueue_stamped',
        TG_TABLE_SCHEMA) USING NEW.id;
    RETURN NULL;
END
$$;

CREATE CONSTRAINT TRIGGER sessions_stamp_enqueued_at AFTER UPDATE OF enqueue_stamped ON sessions
    DEFERRABLE INITIALLY DEFERRED FOR EACH ROW WHEN (NOT NEW.enqueue_stamped) EXECUTE FUNCTION stamp_enqueued_at();

CREATE INDEX sessions_pending_question ON sessions (pending_question_at) WHERE pending_question_at IS NOT NULL;

-- Every agent who held a session, in order (a transfer closes one row and opens the next).
CREATE TABLE session_agents (
    session_id uuid NOT NULL REFERENCES sessions (id),
    agent_id uuid NOT NULL REFERENCES agents (id),
    assigned_at timestamptz NOT NULL,
    released_at timestamptz,
    via text NOT NULL CHECK (via IN ('queue', 'transfer')),
    PRIMARY KEY (session_id, assigned_at, agent_id)
);

CREATE INDEX session_agents_by_agent ON session_agents (agent_id, assigned_at);

-- One accepted message per (sender, channel, owner, client_message_id): a resend never gets a second seq.
-- Visitors: ('visitor', channel, visitor_id, id); agents: ('agent', '', agent_id, id).
CREATE TABLE message_ids (
    sender text NOT NULL,
    channel text NOT NULL,
    owner_id text NOT NULL,
    client_message_id text NOT NULL,
    session_id uuid,
    seq bigint,
    accepted_at timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (sender, channel, owner_id, client_message_id)
);

CREATE INDEX message_ids_accepted_at ON message_ids (accepted_at);

-- Settings documents, one row per version; the highest version is in force (none: the defaults, version 0).
CREATE TABLE settings (
    version integer PRIMARY KEY CHECK (version >= 1),
    document jsonb NOT NULL,
    updated_at timestamptz NOT NULL DEFAULT now(),
    updated_by uuid NOT NULL
);

CREATE TABLE settings_audit (
    version integer PRIMARY KEY REFERENCES settings (version),
    actor_id uuid NOT NULL,
    at timestamptz NOT NULL DEFAULT now(),
    changed text[] NOT NULL
);

-- One row per assignment decision (queue or transfer): who was considered and the rule that chose.
CREATE TABLE assignment_audit (
    id bigserial PRIMARY KEY,
    at timestamptz NOT NULL DEFAULT now(),
    session_id uuid NOT NULL,
    agent_id uuid NOT NULL,
    rule text NOT NULL,
    candidates jsonb NOT NULL
);

CREATE INDEX assignment_audit_session ON assignment_audit (session_id, id);
CREATE INDEX assignment_audit_agent ON assignment_audit (agent_id, id);

-- How long finished human sessions were served, for the queue's ETA (recent average).
CREATE TABLE handle_times (
    session_id uuid PRIMARY KEY,
    agent_id uuid,
    seconds double precision NOT NULL CHECK (seconds >= 0),
    ended_at timestamptz NOT NULL DEFAULT now()
);

CREATE INDEX handle_times_ended_at ON handle_times (ended_at);

CREATE TABLE ratings (
    session_id uuid PRIMARY KEY REFERENCES sessions (id),
    stars integer NOT NULL CHECK (stars BETWEEN 1 AND 5),
    comment text,
    agent_id uuid,
    at timestamptz NOT NULL DEFAULT now()
);

-- Leave-a-message (留言): unclaimed → claimed → closed.
CREATE TABLE leave_messages (
    id uuid PRIMARY KEY,
    channel text NOT NULL,
    visitor_id text NOT NULL,
    session_id uuid,
    name text,
    description text NOT NULL,
    phone text,
    email text,
    images jsonb NOT NULL DEFAULT '[]'::jsonb,
    state text NOT NULL DEFAULT 'unclaimed' CHECK (state IN ('unclaimed', 'claimed', 'closed')),
    agent_id uuid,
    note text,
    created_at timestamptz NOT NULL DEFAULT now(),
    updated_at timestamptz NOT NULL DEFAULT now()
);

CREATE INDEX leave_messages_by_state ON leave_messages (state, created_at, id);

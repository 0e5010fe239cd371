-- The knowledge schema: the knowledge base (entries and their categories), the session → agent tracking
-- smart assist and question capture need, and the quick-reply libraries. Knowledge is the only writer.

-- Every change to an entry takes the next revision, so an instance can tell which entries changed since
-- the last revision its matcher saw (read-your-writes on the instance that made the change, and the
-- periodic reconciliation of every instance's matcher with this table).
CREATE SEQUENCE entry_revision;

-- Knowledge-base categories (一级分类), referenced by name from entries, imports and exports. Deleting a
-- category leaves its entries uncategorised.
CREATE TABLE categories (
    id uuid PRIMARY KEY,
    name text NOT NULL CHECK (char_length(name) BETWEEN 1 AND 32),
    position integer NOT NULL DEFAULT 0,
    created_by uuid,
    created_at timestamptz NOT NULL DEFAULT now(),
    updated_by uuid,
    updated_at timestamptz NOT NULL DEFAULT now()
);

CREATE UNIQUE INDEX categories_name ON categories (lower(name));

-- Knowledge-base entries: a standard question, its similar questions, the answer (text and optionally
-- an image stored by Kefu), a category, and who made and changed it. `source_session_id` is the session
-- an entry was captured from (问题收录).
CREATE TABLE entries (
    id uuid PRIMARY KEY,
    question text NOT NULL CHECK (char_length(question) BETWEEN 1 AND 200),
    similar_questions text[] NOT NULL DEFAULT '{}' CHECK (cardinality(similar_questions) <= 50),
    answer text NOT NULL CHECK (char_length(answer) BETWEEN 1 AND 5000),
    image_id uuid,
    category_id uuid REFERENCES categories (id) ON DELETE SET NULL,
    enabled boolean NOT NULL DEFAULT true,
    source_session_id uuid,
    revision bigint NOT NULL DEFAULT nextval('entry_revision'),
    created_by uuid,
    created_at timestamptz NOT NULL DEFAULT now(),
    updated_by uuid,
    updated_at timestamptz NOT NULL DEFAULT now()
);

-- One entry per standard question (compared case-insensitively after trimming): the matcher could not
-- tell two of them apart, and imports update the entry with the same question.
CREATE UNIQUE INDEX entries_question ON entries (lower(btrim(question)));
CREATE INDEX entries_revision ON entries (revision);
CREATE INDEX entries_category ON entries (category_id, updated_at DESC, id);
CREATE INDEX entries_updated ON entries (updated_at DESC, id);

-- Deleted entries, so instances catching up by revision also see deletions. Kept for audit.
CREATE TABLE entry_tombstones (
    entry_id uuid PRIMARY KEY,
    question text NOT NULL,
    revision bigint NOT NULL,
    deleted_by uuid,
    deleted_at timestamptz NOT NULL DEFAULT now()
);

CREATE INDEX entry_tombstones_revision ON entry_tombstones (revision);

-- Questions saved from sessions (问题收录): which agent saved which visitor question from which session,
-- and whether it became a new entry or a similar question of an existing one.
CREATE TABLE captures (
    id uuid PRIMARY KEY,
    session_id uuid NOT NULL,
    agent_id uuid,
    entry_id uuid NOT NULL,
    mode text NOT NULL CHECK (mode IN ('created', 'similar')),
    question text NOT NULL,
    answer text,
    captured_at timestamptz NOT NULL DEFAULT now()
);

CREATE INDEX captures_session ON captures (session_id);
CREATE INDEX captures_entry ON captures (entry_id);

-- Who serves which session, from routing's events: one row per assignment-changing event, keyed by the
-- session's `seq`, so events applied out of stream order still give the right answer. `agent_id` is
-- null when the session went back to the queue (`session.queued`) or ended (`session.ended`).
CREATE TABLE session_assignments (
    session_id uuid NOT NULL,
    seq bigint NOT NULL,
    agent_id uuid,
    ended boolean NOT NULL DEFAULT false,
    recorded_at timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (session_id, seq)
);

CREATE INDEX session_assignments_agent ON session_assignments (agent_id, session_id) WHERE agent_id IS NOT NULL;
CREATE INDEX session_assignments_recorded ON session_assignments (recorded_at);

-- Quick-reply categories (快捷回复分类, one level): the public library (owner_id null; admins manage it,
-- every agent reads it) and each agent's personal library (owner_id = the agent; nobody else sees it).
CREATE TABLE quick_reply_categories (
    id uuid PRIMARY KEY,
    library text NOT NULL CHECK (library IN ('public', 'personal')),
    owner_id uuid,
    name text NOT NULL CHECK (char_length(name) BETWEEN 1 AND 32),
    position integer NOT NULL DEFAULT 0,
    created_by uuid NOT NULL,
    created_at timestamptz NOT NULL DEFAULT now(),
    updated_by uuid NOT NULL,
    updated_at timestamptz NOT NULL DEFAULT now(),
    CHECK ((library = 'personal') = (owner_id IS NOT NULL))
);

CREATE UNIQUE INDEX quick_reply_categories_name
    ON quick_reply_categories (library, coalesce(owner_id, '00000000-0000-0000-0000-000000000000'), lower(name));

-- Quick replies: a keyword (what the agent types to find it) and the content sent. A keyword is unique
-- within its library (case-insensitively); deleting a category leaves its replies uncategorised.
CREATE TABLE quick_replies (
    id uuid PRIMARY KEY,
    library text NOT NULL CHECK (library IN ('public', 'personal')),
    owner_id uuid,
    category_id uuid REFERENCES quick_reply_categories (id) ON DELETE SET NULL,
    keyword text NOT NULL CHECK (char_length(keyword) BETWEEN 1 AND 20),
    content text NOT NULL CHECK (char_length(content) BETWEEN 1 AND 2000),
    position integer NOT NULL DEFAULT 0,
    created_by uuid NOT NULL,
    created_at timestamptz NOT NULL DEFAULT now(),
    updated_by uuid NOT NULL,
    updated_at timestamptz NOT NULL DEFAULT now(),
    CHECK ((library = 'personal') = (owner_id IS NOT NULL))
);

CREATE UNIQUE INDEX quick_replies_keyword
    ON quick_replies (library, coalesce(owner_id, '00000000-0000-0000-0000-000000000000'), lower(keyword));
CREATE INDEX quick_replies_listing ON quick_replies (library, owner_id, category_id, position, id);

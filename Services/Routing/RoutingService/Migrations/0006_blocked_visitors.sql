-- Visitor blocks (黑名单). An agent blocks the visitor of a session they serve, for `until` (NULL: for good);
-- an admin may lift it. Rows are never deleted: the table is the audit of who blocked whom, why, until when,
-- and who lifted it. A block is in force while `lifted_at IS NULL AND (until IS NULL OR until > now())`;
-- a block that expired is closed (`lifted_at = until`, `lifted_by` NULL) when the visitor is blocked again.
CREATE TABLE blocked_visitors (
    id uuid PRIMARY KEY,
    channel text NOT NULL,
    visitor_id text NOT NULL,
    reason text NOT NULL,
    blocked_by uuid NOT NULL,
    blocked_at timestamptz NOT NULL DEFAULT now(),
    until timestamptz,
    session_id uuid,
    lifted_at timestamptz,
    lifted_by uuid
);

-- One open block per visitor; the batch read probes it.
CREATE UNIQUE INDEX blocked_visitors_open ON blocked_visitors (channel, visitor_id) WHERE lifted_at IS NULL;
CREATE INDEX blocked_visitors_recent ON blocked_visitors (blocked_at DESC, id);

-- Images uploaded through the gateway and who uploaded them: a message or leave-a-message may attach only
-- images its sender uploaded (`visitor:<channel>:<visitor_id>` or `staff:<agent_id>`). Purged after 30 days.
CREATE TABLE uploads (
    image_id uuid PRIMARY KEY,
    uploader text NOT NULL,
    created_at timestamptz NOT NULL DEFAULT now()
);

CREATE INDEX uploads_created_at ON uploads (created_at);

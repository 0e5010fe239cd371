-- Files (documents, text, archives) uploaded through the gateway: who uploaded each, and what store
-- recorded (name, size, type found in the bytes), so a message can attach only a file its sender uploaded
-- and carry its reference. Purged after 30 days like the image uploads.
CREATE TABLE file_uploads (
    file_id uuid PRIMARY KEY,
    uploader text NOT NULL,
    name text NOT NULL,
    size integer NOT NULL,
    mime_type text NOT NULL,
    created_at timestamptz NOT NULL DEFAULT now()
);

CREATE INDEX file_uploads_created_at ON file_uploads (created_at);

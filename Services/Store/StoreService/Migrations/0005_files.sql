-- Uploaded files (documents, text, archives), checked by their bytes (application/pdf, the Office types,
-- text/plain, archives); at most 50 MiB, the settings' own limit being checked by the gateway before
-- anything is stored. request_id is the file.put request's envelope id: a redelivered request answers with
-- the file it already stored.
CREATE TABLE files (
    file_id uuid PRIMARY KEY,
    session_id uuid NOT NULL,
    uploader_role text NOT NULL CHECK (uploader_role IN ('visitor', 'agent', 'admin')),
    -- The visitor id (with uploader_channel) or the agent id.
    uploader_id text NOT NULL,
    uploader_channel text,
    name text NOT NULL CHECK (length(name) BETWEEN 1 AND 255),
    mime_type text NOT NULL,
    bytes bytea NOT NULL,
    size integer NOT NULL CHECK (size > 0 AND size <= 52428800),
    request_id uuid NOT NULL UNIQUE,
    created_at timestamptz NOT NULL DEFAULT now()
);

CREATE INDEX files_session ON files (session_id);

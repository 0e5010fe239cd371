-- When each event row was written: the store's lag behind the stream, for operators and for
-- `scripts/bench pipeline` (XADD → persisted). Rows stored before this migration keep NULL; no table rewrite.
ALTER TABLE events ADD COLUMN stored_at timestamptz;
ALTER TABLE events ALTER COLUMN stored_at SET DEFAULT clock_timestamp();

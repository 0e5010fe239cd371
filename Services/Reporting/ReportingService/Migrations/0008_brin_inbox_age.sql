-- The inbox's age index as BRIN (issue 11, fifth session): `processed_events.processed_at` grows with insertion
-- order, so a block-range index serves the purge of old rows as well as a btree did, while each inserted row
-- (one per event on the hot path) costs next to nothing instead of one more btree entry.
DROP INDEX processed_events_processed_at;
CREATE INDEX processed_events_processed_at ON processed_events USING brin (processed_at);

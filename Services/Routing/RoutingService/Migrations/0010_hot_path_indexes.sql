-- Age indexes as BRIN (issue 11, fifth session). `processed_events.processed_at` (the purge of old inbox rows)
-- and `message_ids.accepted_at` grow with insertion order, so a block-range index finds old rows as well as a
-- btree did, while an inserted row costs next to nothing instead of one more btree entry: both tables take a
-- row per message on the hot path.
DROP INDEX processed_events_processed_at;
CREATE INDEX processed_events_processed_at ON processed_events USING brin (processed_at);

DROP INDEX message_ids_accepted_at;
CREATE INDEX message_ids_accepted_at ON message_ids USING brin (accepted_at);

-- The outbox's rows are deleted once published (none is marked published any more), so the primary key walks
-- the unpublished rows in id order by itself: the partial index on them was one more btree entry per event.
-- Rows an earlier version marked published (and left for the purge) go now, so that walk never meets them.
DELETE FROM outbox WHERE published_at IS NOT NULL;
DROP INDEX outbox_unpublished;

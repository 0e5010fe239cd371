-- `history.page` with kinds=messages reads a session's events by the primary key (session_id, seq) and skips the
-- few that are not messages (session.created, assigned, ended, ...): the partial index on the same key for
-- messages only spared it nothing worth a second btree entry per stored message, the store's most frequent
-- write (issue 11).
DROP INDEX events_messages;

-- Each batch rewrites the row of every session it names (last_seq, message_count). Room on each page keeps
-- those updates HOT, so they do not touch the table's indexes (about 40 % were not HOT with full pages, in
-- scripts/bench pipeline). Applies to pages written from now on.
ALTER TABLE sessions SET (fillfactor = 70);

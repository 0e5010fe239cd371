-- Every message rewrites its session's row (last_seq, last activity). With full pages PostgreSQL cannot
-- keep the new version on the same page, so about half of those updates were not HOT and touched all five
-- indexes of the table (measured in scripts/bench pipeline). Room on each page keeps them HOT. Applies to
-- pages written from now on; `VACUUM FULL routing.sessions` rewrites an existing table in a quiet hour.
ALTER TABLE sessions SET (fillfactor = 70);

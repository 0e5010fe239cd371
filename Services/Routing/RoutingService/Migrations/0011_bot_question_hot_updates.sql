-- A bot session's row is written at least twice per visitor question (the question asked, then answered, missed
-- or timed out), and both writes set `pending_question_at`. Its index made every one of them a non-HOT update
-- (a new entry in each index of the row's state: primary key, open-visitor, by-visitor and this one), about
-- half of `routing.sessions`' updates in bot sessions (issue 11, `KEFU_BENCH_PG_STATS=1 scripts/bench pipeline`).
-- The ticker's search for questions without an answer in time (once a second) walks the bot sessions instead,
-- by id, through a partial index whose entry is written when a session is created or enters `bot` and never
-- changes while the visitor talks to the bot.
DROP INDEX sessions_pending_question;
CREATE INDEX sessions_bot ON sessions (id) WHERE state = 'bot';

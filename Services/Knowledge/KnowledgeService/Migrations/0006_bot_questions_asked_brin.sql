-- `bot_questions.asked_at` (the transaction's time of the row's insertion) grows with insertion order; its only
-- reader is the daily purge of old rows, which a block-range index serves as well as a btree did, while each
-- bot question (one row per question on the hot path) costs next to nothing instead of one more btree entry
-- (issue 11).
DROP INDEX bot_questions_asked;
CREATE INDEX bot_questions_asked ON bot_questions USING brin (asked_at);

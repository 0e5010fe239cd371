-- Every bot question knowledge decided (未知问题 come from here): what the visitor asked (masked by routing),
-- its group key (the normalized text), the outcome, the entry that answered or was offered first, and whether
-- the visitor found the answer not useful (`feedback.recorded`). Misses — unanswered, 猜你想问 offered, not
-- useful — that no admin handled yet are the unknown questions; handling a group stamps its rows.
CREATE TABLE bot_questions (
    session_id uuid NOT NULL,
    question_seq bigint NOT NULL,
    text text NOT NULL,
    group_key text NOT NULL,
    outcome text NOT NULL CHECK (outcome IN ('answered', 'suggested', 'unanswered')),
    entry_id uuid,
    score double precision,
    not_useful boolean NOT NULL DEFAULT false,
    asked_at timestamptz NOT NULL DEFAULT now(),
    handled_at timestamptz,
    handled_by uuid,
    handled_action text CHECK (handled_action IN ('similar', 'created', 'ignored')),
    handled_entry_id uuid,
    PRIMARY KEY (session_id, question_seq)
);

CREATE INDEX bot_questions_open ON bot_questions (group_key, asked_at)
    WHERE handled_at IS NULL AND (outcome <> 'answered' OR not_useful);
CREATE INDEX bot_questions_asked ON bot_questions (asked_at);

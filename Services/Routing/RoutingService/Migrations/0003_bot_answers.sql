-- Bot answers a visitor may give feedback on (有用 / 没用): one row per bot message that answered from a
-- knowledge entry, written with the message; `useful` is set once by `visitor.feedback`.
CREATE TABLE bot_answers (
    session_id uuid NOT NULL REFERENCES sessions (id),
    seq bigint NOT NULL,
    question_seq bigint NOT NULL,
    entry_id uuid NOT NULL,
    answered_at timestamptz NOT NULL DEFAULT now(),
    useful boolean,
    feedback_at timestamptz,
    PRIMARY KEY (session_id, seq),
    CHECK ((useful IS NULL) = (feedback_at IS NULL))
);

-- The admins' segmentation words and synonym groups (词库 / 同义词), merged with the bundled tables and the
-- KEFU_KNOWLEDGE_WORDS / KEFU_KNOWLEDGE_SYNONYMS files. Every change bumps lexicon_state.revision in its
-- transaction; each instance compares it with the revision its matcher was built from and rebuilds when it differs.
CREATE TABLE domain_words (
    id uuid PRIMARY KEY,
    word text NOT NULL UNIQUE,
    frequency integer CHECK (frequency > 0),
    created_by uuid NOT NULL,
    created_at timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE synonym_groups (
    id uuid PRIMARY KEY,
    canonical text NOT NULL UNIQUE,
    variants text[] NOT NULL CHECK (cardinality(variants) >= 1),
    created_by uuid NOT NULL,
    created_at timestamptz NOT NULL DEFAULT now(),
    updated_by uuid NOT NULL,
    updated_at timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE lexicon_state (
    singleton boolean PRIMARY KEY DEFAULT true CHECK (singleton),
    revision bigint NOT NULL
);
INSERT INTO lexicon_state (singleton, revision) VALUES (true, 0);

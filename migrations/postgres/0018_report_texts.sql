-- A leader's edits of a quarter's report text (the paragraphs rewritten and next quarter's
-- plan), kept whole as `body`; one row per quarter, changed only from the version read.
CREATE TABLE report_texts (
    id bigserial PRIMARY KEY,
    quarter text NOT NULL UNIQUE,
    version bigint NOT NULL,
    updated_at timestamptz NOT NULL,
    body jsonb NOT NULL
);

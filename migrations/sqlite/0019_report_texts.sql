-- A leader's edits of a quarter's report text (the paragraphs rewritten and next quarter's
-- plan), kept whole as `body`; one row per quarter, changed only from the version read.
CREATE TABLE report_texts (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    quarter TEXT NOT NULL UNIQUE,
    version INTEGER NOT NULL,
    updated_at TEXT NOT NULL,
    body TEXT NOT NULL
);

-- What happened to each contract section's month after its assessments (FIELDWORK §2): signed
-- off (the figures frozen), corrected, appealed, appeals decided. Append-only; `body` is the
-- change as the API writes it. A month is signed off once.
CREATE TABLE period_ledger (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    section TEXT NOT NULL,
    month TEXT NOT NULL,
    kind TEXT NOT NULL,
    body TEXT NOT NULL,
    actor TEXT NOT NULL,
    at TEXT NOT NULL
);
CREATE INDEX period_ledger_month ON period_ledger (month, section);
CREATE UNIQUE INDEX period_ledger_signed ON period_ledger (section, month) WHERE kind = 'signed_off';

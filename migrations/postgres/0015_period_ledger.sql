-- What happened to each contract section's month after its assessments (FIELDWORK §2): signed
-- off (the figures frozen), corrected, appealed, appeals decided. Append-only; `body` is the
-- change as the API writes it. A month is signed off once.
CREATE TABLE period_ledger (
    id bigserial PRIMARY KEY,
    section text NOT NULL,
    month text NOT NULL,
    kind text NOT NULL,
    body jsonb NOT NULL,
    actor text NOT NULL,
    at timestamptz NOT NULL
);
CREATE INDEX period_ledger_month ON period_ledger (month, section);
CREATE UNIQUE INDEX period_ledger_signed ON period_ledger (section, month) WHERE kind = 'signed_off';

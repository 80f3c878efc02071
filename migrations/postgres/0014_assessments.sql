-- Assessments (FIELDWORK §2–3): each as recorded and scored (`body`, the API's JSON), with the
-- columns the period figures and the filters select by (the figures read without the body).
CREATE TABLE assessments (
    id bigserial PRIMARY KEY,
    at timestamptz NOT NULL,
    month text NOT NULL,
    kind text NOT NULL,
    subject_type text NOT NULL CHECK (subject_type IN ('section', 'shop')),
    subject text NOT NULL,
    checklist text NOT NULL,
    version integer NOT NULL,
    score double precision NOT NULL,
    rating text NOT NULL,
    failed_items bigint NOT NULL,
    major boolean NOT NULL,
    notices bigint NOT NULL,
    body jsonb NOT NULL,
    recorded_by text NOT NULL,
    recorded_at timestamptz NOT NULL
);
CREATE INDEX assessments_month ON assessments (month, subject_type);
CREATE INDEX assessments_subject ON assessments (subject_type, subject, at);

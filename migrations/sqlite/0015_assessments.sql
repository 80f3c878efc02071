-- Assessments (FIELDWORK §2–3): each as recorded and scored (`body`, the API's JSON), with the
-- columns the period figures and the filters select by (the figures read without the body).
CREATE TABLE assessments (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    at TEXT NOT NULL,
    month TEXT NOT NULL,
    kind TEXT NOT NULL,
    subject_type TEXT NOT NULL CHECK (subject_type IN ('section', 'shop')),
    subject TEXT NOT NULL,
    checklist TEXT NOT NULL,
    version INTEGER NOT NULL,
    score REAL NOT NULL,
    rating TEXT NOT NULL,
    failed_items INTEGER NOT NULL,
    major INTEGER NOT NULL,
    notices INTEGER NOT NULL,
    body TEXT NOT NULL,
    recorded_by TEXT NOT NULL,
    recorded_at TEXT NOT NULL
);
CREATE INDEX assessments_month ON assessments (month, subject_type);
CREATE INDEX assessments_subject ON assessments (subject_type, subject, at);

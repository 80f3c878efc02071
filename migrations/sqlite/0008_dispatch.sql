-- Officers' duty status with its history, and their GPS fixes. Fixes are personal data: they
-- are deleted after the retention period, so (unlike case events) they are not append-only.
CREATE TABLE officer_status (
    seq INTEGER PRIMARY KEY AUTOINCREMENT,
    officer TEXT NOT NULL,
    status TEXT NOT NULL,
    at TEXT NOT NULL,
    actor TEXT NOT NULL
);

CREATE INDEX officer_status_officer ON officer_status (officer, seq);

CREATE TRIGGER officer_status_no_update BEFORE UPDATE ON officer_status
BEGIN
    SELECT RAISE(ABORT, 'the duty status history is append-only');
END;

CREATE TABLE officer_fixes (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    officer TEXT NOT NULL,
    lon REAL NOT NULL,
    lat REAL NOT NULL,
    accuracy_m REAL,
    at TEXT NOT NULL,
    received_at TEXT NOT NULL
);

CREATE INDEX officer_fixes_officer ON officer_fixes (officer, at);
CREATE INDEX officer_fixes_at ON officer_fixes (at);

INSERT INTO gpkg_contents (table_name, data_type, identifier, description, srs_id) VALUES
    ('officer_status', 'attributes', 'officer_status', 'Duty status history (在岗状态)', NULL),
    ('officer_fixes', 'attributes', 'officer_fixes', 'Officer GPS fixes (定位)', NULL);

-- Planned duty periods (排班): what the dispatcher sees beside the live status.
CREATE TABLE officer_shifts (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    officer TEXT NOT NULL,
    starts_at TEXT NOT NULL,
    ends_at TEXT NOT NULL,
    created_by TEXT NOT NULL
);

CREATE INDEX officer_shifts_officer ON officer_shifts (officer, starts_at);

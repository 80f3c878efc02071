-- Officers' duty status with its history (append-only), their GPS fixes (deleted after the
-- retention period) and planned shifts.
CREATE TABLE officer_status (
    seq bigserial PRIMARY KEY,
    officer text NOT NULL,
    status text NOT NULL,
    at timestamptz NOT NULL,
    actor text NOT NULL
);
CREATE INDEX officer_status_officer ON officer_status (officer, seq);
CREATE TRIGGER officer_status_append_only BEFORE UPDATE ON officer_status
    FOR EACH ROW EXECUTE FUNCTION citygrid_append_only();

CREATE TABLE officer_fixes (
    id bigserial PRIMARY KEY,
    officer text NOT NULL,
    lon double precision NOT NULL,
    lat double precision NOT NULL,
    accuracy_m double precision,
    at timestamptz NOT NULL,
    received_at timestamptz NOT NULL
);
CREATE INDEX officer_fixes_officer ON officer_fixes (officer, at);
CREATE INDEX officer_fixes_at ON officer_fixes (at);

CREATE TABLE officer_shifts (
    id bigserial PRIMARY KEY,
    officer text NOT NULL,
    starts_at timestamptz NOT NULL,
    ends_at timestamptz NOT NULL,
    created_by text NOT NULL
);
CREATE INDEX officer_shifts_officer ON officer_shifts (officer, starts_at);

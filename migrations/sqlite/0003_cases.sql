-- Cases and their append-only event log. `cases` is a GeoPackage feature table (the case's
-- point), so GIS staff see cases beside the base layers; `case_events` is an attribute table.
-- Times are UTC RFC 3339 with milliseconds ("2026-11-27T08:00:00.000Z"): text order is time order.

CREATE TABLE cases (
    fid INTEGER PRIMARY KEY AUTOINCREMENT,
    geom POINT NOT NULL,
    lon REAL NOT NULL,
    lat REAL NOT NULL,
    category TEXT NOT NULL,
    source TEXT NOT NULL,
    status TEXT NOT NULL,
    description TEXT NOT NULL DEFAULT '',
    quantity REAL,
    address TEXT,
    grid TEXT,
    community TEXT,
    street_id INTEGER,
    shop TEXT,
    location TEXT NOT NULL,
    reporter TEXT,
    assignee TEXT,
    duplicate_of INTEGER REFERENCES cases (fid),
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    deadline TEXT NOT NULL,
    version INTEGER NOT NULL DEFAULT 1
);

CREATE INDEX cases_status_category ON cases (status, category, fid);
CREATE INDEX cases_category ON cases (category, fid);
CREATE INDEX cases_grid ON cases (grid, fid);
CREATE INDEX cases_community ON cases (community, fid);
CREATE INDEX cases_shop ON cases (shop, fid);
CREATE INDEX cases_street ON cases (street_id, fid);
CREATE INDEX cases_created ON cases (created_at);
CREATE INDEX cases_deadline ON cases (deadline);
CREATE INDEX cases_lon_lat ON cases (lon, lat);

CREATE TABLE case_events (
    seq INTEGER PRIMARY KEY AUTOINCREMENT,
    case_id INTEGER NOT NULL REFERENCES cases (fid),
    at TEXT NOT NULL,
    actor TEXT NOT NULL,
    action TEXT NOT NULL,
    from_status TEXT,
    to_status TEXT NOT NULL,
    note TEXT,
    assignee TEXT,
    deadline TEXT,
    photo TEXT
);

CREATE INDEX case_events_case ON case_events (case_id, seq);

-- A case's history is its event log: never changed, never deleted.
CREATE TRIGGER case_events_no_update BEFORE UPDATE ON case_events
BEGIN
    SELECT RAISE(ABORT, 'case events are append-only');
END;

CREATE TRIGGER case_events_no_delete BEFORE DELETE ON case_events
BEGIN
    SELECT RAISE(ABORT, 'case events are append-only');
END;

INSERT INTO gpkg_contents (table_name, data_type, identifier, description, srs_id) VALUES
    ('cases', 'features', 'cases', 'Cases (案件)', 4326),
    ('case_events', 'attributes', 'case_events', 'Case history (案件流转记录)', NULL);

INSERT INTO gpkg_geometry_columns VALUES ('cases', 'geom', 'POINT', 4326, 0, 0);

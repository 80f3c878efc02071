-- Photos: content-addressed (SHA-256 of the bytes), stored once however often they are used.
-- A case lists the photos of its report and of its steps; an event names the photo it came with.
CREATE TABLE photos (
    hash TEXT PRIMARY KEY,
    content_type TEXT NOT NULL,
    size INTEGER NOT NULL,
    data BLOB NOT NULL,
    created_at TEXT NOT NULL
);

ALTER TABLE cases ADD COLUMN photos TEXT NOT NULL DEFAULT '[]';

INSERT INTO gpkg_contents (table_name, data_type, identifier, description, srs_id) VALUES
    ('photos', 'attributes', 'photos', 'Case photos (案件照片)', NULL);

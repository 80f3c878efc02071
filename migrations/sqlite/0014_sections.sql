-- Cleaning contract sections (作业区/标段, FIELDWORK §2): an area or the streets cleaned, with the
-- contractor, urban or rural, the monthly fee in 元 and the code of the contract rule.
CREATE TABLE sections (
    fid INTEGER PRIMARY KEY AUTOINCREMENT,
    geom GEOMETRY NOT NULL,
    code TEXT NOT NULL UNIQUE,
    name TEXT NOT NULL,
    contractor TEXT NOT NULL,
    area TEXT NOT NULL CHECK (area IN ('urban', 'rural')),
    fee_per_month REAL NOT NULL,
    rule TEXT NOT NULL,
    streets TEXT NOT NULL DEFAULT '[]',
    attributes TEXT NOT NULL DEFAULT '{}'
);

INSERT INTO gpkg_contents (table_name, data_type, identifier, description, srs_id) VALUES
    ('sections', 'features', 'sections', 'Cleaning contract sections (作业区/标段)', 4326);

INSERT INTO gpkg_geometry_columns VALUES ('sections', 'geom', 'GEOMETRY', 4326, 0, 0);

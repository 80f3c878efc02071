-- The base layers as GeoPackage feature tables (geometry as GeoPackage binary, SRS 4326) and
-- officers as an attribute table. `attributes` holds the properties outside the import
-- contract, as a JSON object.

CREATE TABLE communities (
    fid INTEGER PRIMARY KEY AUTOINCREMENT,
    geom MULTIPOLYGON NOT NULL,
    code TEXT NOT NULL UNIQUE,
    name TEXT NOT NULL,
    subdistrict TEXT,
    attributes TEXT NOT NULL DEFAULT '{}'
);

CREATE TABLE grids (
    fid INTEGER PRIMARY KEY AUTOINCREMENT,
    geom MULTIPOLYGON NOT NULL,
    code TEXT NOT NULL UNIQUE,
    name TEXT,
    community TEXT,
    attributes TEXT NOT NULL DEFAULT '{}'
);

CREATE TABLE streets (
    fid INTEGER PRIMARY KEY AUTOINCREMENT,
    geom MULTILINESTRING NOT NULL,
    street_id INTEGER NOT NULL UNIQUE,
    name TEXT NOT NULL,
    class TEXT,
    left_from INTEGER,
    left_to INTEGER,
    right_from INTEGER,
    right_to INTEGER,
    attributes TEXT NOT NULL DEFAULT '{}'
);

CREATE TABLE shops (
    fid INTEGER PRIMARY KEY AUTOINCREMENT,
    geom GEOMETRY NOT NULL,
    code TEXT NOT NULL UNIQUE,
    name TEXT NOT NULL,
    address TEXT,
    category TEXT,
    contact TEXT,
    phone TEXT,
    license TEXT,
    door_radius_m REAL,
    attributes TEXT NOT NULL DEFAULT '{}'
);

CREATE TABLE zones (
    fid INTEGER PRIMARY KEY AUTOINCREMENT,
    geom MULTIPOLYGON NOT NULL,
    zone_id INTEGER NOT NULL UNIQUE,
    name TEXT NOT NULL,
    level TEXT NOT NULL,
    hours TEXT,
    categories TEXT NOT NULL DEFAULT '[]',
    attributes TEXT NOT NULL DEFAULT '{}'
);

CREATE TABLE components (
    fid INTEGER PRIMARY KEY AUTOINCREMENT,
    geom POINT NOT NULL,
    code TEXT NOT NULL UNIQUE,
    kind TEXT NOT NULL,
    status TEXT,
    attributes TEXT NOT NULL DEFAULT '{}'
);

CREATE TABLE addresses (
    fid INTEGER PRIMARY KEY AUTOINCREMENT,
    geom POINT NOT NULL,
    street TEXT NOT NULL,
    number TEXT NOT NULL,
    attributes TEXT NOT NULL DEFAULT '{}'
);

CREATE TABLE officers (
    fid INTEGER PRIMARY KEY AUTOINCREMENT,
    code TEXT NOT NULL UNIQUE,
    name TEXT NOT NULL,
    team TEXT,
    phone TEXT,
    grids TEXT NOT NULL DEFAULT '[]'
);

INSERT INTO gpkg_contents (table_name, data_type, identifier, description, srs_id) VALUES
    ('communities', 'features', 'communities', 'Communities (社区)', 4326),
    ('grids', 'features', 'grids', 'Grid cells (单元网格)', 4326),
    ('streets', 'features', 'streets', 'Street centre lines (道路)', 4326),
    ('shops', 'features', 'shops', 'Shops under the door-front responsibility system (门责单位)', 4326),
    ('zones', 'features', 'zones', 'Management zones (管理区域)', 4326),
    ('components', 'features', 'components', 'Public components (部件)', 4326),
    ('addresses', 'features', 'addresses', 'Address points', 4326),
    ('officers', 'attributes', 'officers', 'Officers (执法队员)', NULL);

INSERT INTO gpkg_geometry_columns VALUES
    ('communities', 'geom', 'MULTIPOLYGON', 4326, 0, 0),
    ('grids', 'geom', 'MULTIPOLYGON', 4326, 0, 0),
    ('streets', 'geom', 'MULTILINESTRING', 4326, 0, 0),
    ('shops', 'geom', 'GEOMETRY', 4326, 0, 0),
    ('zones', 'geom', 'MULTIPOLYGON', 4326, 0, 0),
    ('components', 'geom', 'POINT', 4326, 0, 0),
    ('addresses', 'geom', 'POINT', 4326, 0, 0);

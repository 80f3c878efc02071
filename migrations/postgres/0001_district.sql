-- The district's base layers with PostGIS geometry (SRID 4326) and GiST indexes, officers,
-- and the settings an admin changes. The same tables and columns as the embedded store's,
-- with `attributes` (properties outside the import contract) as jsonb.

CREATE EXTENSION IF NOT EXISTS postgis;

CREATE TABLE communities (
    fid bigserial PRIMARY KEY,
    geom geometry(MultiPolygon, 4326) NOT NULL,
    code text NOT NULL UNIQUE,
    name text NOT NULL,
    subdistrict text,
    attributes jsonb NOT NULL DEFAULT '{}'
);
CREATE INDEX communities_geom ON communities USING gist (geom);

CREATE TABLE grids (
    fid bigserial PRIMARY KEY,
    geom geometry(MultiPolygon, 4326) NOT NULL,
    code text NOT NULL UNIQUE,
    name text,
    community text,
    attributes jsonb NOT NULL DEFAULT '{}'
);
CREATE INDEX grids_geom ON grids USING gist (geom);

CREATE TABLE streets (
    fid bigserial PRIMARY KEY,
    geom geometry(MultiLineString, 4326) NOT NULL,
    street_id bigint NOT NULL UNIQUE,
    name text NOT NULL,
    class text,
    left_from bigint,
    left_to bigint,
    right_from bigint,
    right_to bigint,
    attributes jsonb NOT NULL DEFAULT '{}'
);
CREATE INDEX streets_geom ON streets USING gist (geom);

-- A door (point) or a door-front area (polygons).
CREATE TABLE shops (
    fid bigserial PRIMARY KEY,
    geom geometry(Geometry, 4326) NOT NULL,
    code text NOT NULL UNIQUE,
    name text NOT NULL,
    address text,
    category text,
    contact text,
    phone text,
    license text,
    door_radius_m double precision,
    attributes jsonb NOT NULL DEFAULT '{}'
);
CREATE INDEX shops_geom ON shops USING gist (geom);

CREATE TABLE zones (
    fid bigserial PRIMARY KEY,
    geom geometry(MultiPolygon, 4326) NOT NULL,
    zone_id bigint NOT NULL UNIQUE,
    name text NOT NULL,
    level text NOT NULL,
    hours text,
    categories jsonb NOT NULL DEFAULT '[]',
    attributes jsonb NOT NULL DEFAULT '{}'
);
CREATE INDEX zones_geom ON zones USING gist (geom);

CREATE TABLE components (
    fid bigserial PRIMARY KEY,
    geom geometry(Point, 4326) NOT NULL,
    code text NOT NULL UNIQUE,
    kind text NOT NULL,
    status text,
    attributes jsonb NOT NULL DEFAULT '{}'
);
CREATE INDEX components_geom ON components USING gist (geom);

CREATE TABLE addresses (
    fid bigserial PRIMARY KEY,
    geom geometry(Point, 4326) NOT NULL,
    street text NOT NULL,
    number text NOT NULL,
    attributes jsonb NOT NULL DEFAULT '{}'
);
CREATE INDEX addresses_geom ON addresses USING gist (geom);

CREATE TABLE officers (
    fid bigserial PRIMARY KEY,
    code text NOT NULL UNIQUE,
    name text NOT NULL,
    team text,
    phone text,
    grids jsonb NOT NULL DEFAULT '[]'
);

CREATE TABLE settings (
    key text PRIMARY KEY,
    value text NOT NULL,
    updated_at timestamptz NOT NULL,
    updated_by text NOT NULL
);

-- Cleaning contract sections (作业区/标段, FIELDWORK §2): an area or the streets cleaned, with the
-- contractor, urban or rural, the monthly fee in 元 and the code of the contract rule.
CREATE TABLE sections (
    fid bigserial PRIMARY KEY,
    geom geometry(Geometry, 4326) NOT NULL,
    code text NOT NULL UNIQUE,
    name text NOT NULL,
    contractor text NOT NULL,
    area text NOT NULL CHECK (area IN ('urban', 'rural')),
    fee_per_month double precision NOT NULL,
    rule text NOT NULL,
    streets jsonb NOT NULL DEFAULT '[]',
    attributes jsonb NOT NULL DEFAULT '{}'
);
CREATE INDEX sections_geom ON sections USING gist (geom);

CREATE TRIGGER sections_notify AFTER INSERT OR UPDATE OR DELETE ON sections FOR EACH STATEMENT EXECUTE FUNCTION citygrid_notify_layers();

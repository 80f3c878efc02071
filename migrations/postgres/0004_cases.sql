-- Cases with their point (PostGIS, GiST-indexed) and what became of them, their append-only
-- event log, and photos (content-addressed).
CREATE TABLE cases (
    fid bigserial PRIMARY KEY,
    geom geometry(Point, 4326) NOT NULL,
    lon double precision NOT NULL,
    lat double precision NOT NULL,
    category text NOT NULL,
    source text NOT NULL,
    status text NOT NULL,
    description text NOT NULL DEFAULT '',
    quantity double precision,
    address text,
    grid text,
    community text,
    street_id bigint,
    shop text,
    location jsonb NOT NULL,
    reporter jsonb,
    assignee text,
    duplicate_of bigint REFERENCES cases (fid),
    created_at timestamptz NOT NULL,
    updated_at timestamptz NOT NULL,
    deadline timestamptz NOT NULL,
    version bigint NOT NULL DEFAULT 1,
    photos jsonb NOT NULL DEFAULT '[]',
    handled_at timestamptz,
    closed_at timestamptz,
    reworks bigint NOT NULL DEFAULT 0,
    extensions bigint NOT NULL DEFAULT 0,
    returns bigint NOT NULL DEFAULT 0,
    dispatches bigint NOT NULL DEFAULT 0,
    events bigint NOT NULL DEFAULT 0
);

CREATE INDEX cases_geom ON cases USING gist (geom);
CREATE INDEX cases_status_category ON cases (status, category, fid);
CREATE INDEX cases_category ON cases (category, fid);
CREATE INDEX cases_grid ON cases (grid, fid);
CREATE INDEX cases_community ON cases (community, fid);
CREATE INDEX cases_shop ON cases (shop, fid);
CREATE INDEX cases_street ON cases (street_id, fid);
CREATE INDEX cases_created ON cases (created_at);
CREATE INDEX cases_deadline ON cases (deadline);
CREATE INDEX cases_assignee ON cases (assignee, fid);

CREATE TABLE case_events (
    seq bigserial PRIMARY KEY,
    case_id bigint NOT NULL REFERENCES cases (fid),
    at timestamptz NOT NULL,
    actor text NOT NULL,
    action text NOT NULL,
    from_status text,
    to_status text NOT NULL,
    note text,
    assignee text,
    deadline timestamptz,
    photo text
);
CREATE INDEX case_events_case ON case_events (case_id, seq);

CREATE TRIGGER case_events_append_only BEFORE UPDATE OR DELETE ON case_events
    FOR EACH ROW EXECUTE FUNCTION citygrid_append_only();

-- Each event keeps its case's outcomes in step, in the same transaction.
CREATE FUNCTION citygrid_case_outcomes() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    UPDATE cases SET
        handled_at = CASE
            WHEN NEW.action IN ('handle', 'handle_on_spot') AND (handled_at IS NULL OR NEW.at < handled_at)
            THEN NEW.at ELSE handled_at END,
        closed_at = CASE
            WHEN NEW.action = 'close' AND (closed_at IS NULL OR NEW.at > closed_at)
            THEN NEW.at ELSE closed_at END,
        reworks = reworks + (NEW.action = 'rework')::int,
        extensions = extensions + (NEW.action = 'extend')::int,
        returns = returns + (NEW.action = 'return')::int,
        dispatches = dispatches + (NEW.action = 'dispatch')::int,
        events = events + 1
    WHERE fid = NEW.case_id;
    RETURN NULL;
END
$$;

CREATE TRIGGER case_events_outcomes AFTER INSERT ON case_events
    FOR EACH ROW EXECUTE FUNCTION citygrid_case_outcomes();

CREATE TABLE photos (
    hash text PRIMARY KEY,
    content_type text NOT NULL,
    size bigint NOT NULL,
    data bytea NOT NULL,
    created_at timestamptz NOT NULL
);

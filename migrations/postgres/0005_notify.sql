-- Several citygrid servers on one database: every change another server must know of is
-- announced on the channel `citygrid` (JSON payloads). PostgreSQL delivers identical payloads
-- of one transaction once, so a whole import is one notice.
CREATE FUNCTION citygrid_notify_layers() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    PERFORM pg_notify('citygrid', '{"kind":"layers"}');
    RETURN NULL;
END
$$;

CREATE TRIGGER communities_notify AFTER INSERT OR UPDATE OR DELETE ON communities FOR EACH STATEMENT EXECUTE FUNCTION citygrid_notify_layers();
CREATE TRIGGER grids_notify AFTER INSERT OR UPDATE OR DELETE ON grids FOR EACH STATEMENT EXECUTE FUNCTION citygrid_notify_layers();
CREATE TRIGGER streets_notify AFTER INSERT OR UPDATE OR DELETE ON streets FOR EACH STATEMENT EXECUTE FUNCTION citygrid_notify_layers();
CREATE TRIGGER shops_notify AFTER INSERT OR UPDATE OR DELETE ON shops FOR EACH STATEMENT EXECUTE FUNCTION citygrid_notify_layers();
CREATE TRIGGER zones_notify AFTER INSERT OR UPDATE OR DELETE ON zones FOR EACH STATEMENT EXECUTE FUNCTION citygrid_notify_layers();
CREATE TRIGGER components_notify AFTER INSERT OR UPDATE OR DELETE ON components FOR EACH STATEMENT EXECUTE FUNCTION citygrid_notify_layers();
CREATE TRIGGER addresses_notify AFTER INSERT OR UPDATE OR DELETE ON addresses FOR EACH STATEMENT EXECUTE FUNCTION citygrid_notify_layers();
CREATE TRIGGER officers_notify AFTER INSERT OR UPDATE OR DELETE ON officers FOR EACH STATEMENT EXECUTE FUNCTION citygrid_notify_layers();

-- Case events: the newest sequence number of each statement.
CREATE FUNCTION citygrid_notify_events() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    newest bigint;
BEGIN
    SELECT max(seq) INTO newest FROM new_events;
    IF newest IS NOT NULL THEN
        PERFORM pg_notify('citygrid', json_build_object('kind', 'event', 'seq', newest)::text);
    END IF;
    RETURN NULL;
END
$$;

CREATE TRIGGER case_events_notify AFTER INSERT ON case_events
    REFERENCING NEW TABLE AS new_events FOR EACH STATEMENT EXECUTE FUNCTION citygrid_notify_events();

CREATE FUNCTION citygrid_notify_kind() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    PERFORM pg_notify('citygrid', json_build_object('kind', TG_ARGV[0])::text);
    RETURN NULL;
END
$$;

CREATE TRIGGER officer_fixes_notify AFTER INSERT ON officer_fixes FOR EACH STATEMENT EXECUTE FUNCTION citygrid_notify_kind('fixes');
CREATE TRIGGER officer_status_notify AFTER INSERT ON officer_status FOR EACH STATEMENT EXECUTE FUNCTION citygrid_notify_kind('statuses');
CREATE TRIGGER settings_notify AFTER INSERT OR UPDATE ON settings FOR EACH STATEMENT EXECUTE FUNCTION citygrid_notify_kind('settings');

-- A fix posted through one server reaches the others in the notice itself (the newest of each
-- officer in the statement), so that no server reads every officer's newest fix from the whole
-- table for each one posted.
CREATE FUNCTION citygrid_notify_fixes() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    f record;
BEGIN
    FOR f IN
        SELECT DISTINCT ON (officer) officer, lon, lat, accuracy_m, at
        FROM new_fixes ORDER BY officer, at DESC
    LOOP
        PERFORM pg_notify('citygrid', json_build_object(
            'kind', 'fix', 'officer', f.officer, 'lon', f.lon, 'lat', f.lat,
            'accuracy_m', f.accuracy_m, 'at', f.at)::text);
    END LOOP;
    RETURN NULL;
END
$$;

DROP TRIGGER officer_fixes_notify ON officer_fixes;
CREATE TRIGGER officer_fixes_notify AFTER INSERT ON officer_fixes
    REFERENCING NEW TABLE AS new_fixes FOR EACH STATEMENT EXECUTE FUNCTION citygrid_notify_fixes();

-- A duty status set through one server reaches the others in the notice itself, so that no
-- server reads every officer's newest status from the whole history for each change.
CREATE FUNCTION citygrid_notify_statuses() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    s record;
BEGIN
    FOR s IN
        SELECT DISTINCT ON (officer) officer, status, at, actor
        FROM new_statuses ORDER BY officer, seq DESC
    LOOP
        PERFORM pg_notify('citygrid', json_build_object(
            'kind', 'status', 'officer', s.officer, 'status', s.status, 'at', s.at,
            'actor', s.actor)::text);
    END LOOP;
    RETURN NULL;
END
$$;

DROP TRIGGER officer_status_notify ON officer_status;
CREATE TRIGGER officer_status_notify AFTER INSERT ON officer_status
    REFERENCING NEW TABLE AS new_statuses FOR EACH STATEMENT EXECUTE FUNCTION citygrid_notify_statuses();

-- What became of each case, kept beside it for statistics: when it was first handled and last
-- closed, how often it was sent back, extended, returned and dispatched, and how many events
-- its history holds. A trigger keeps them in step with every event, in the same transaction.
ALTER TABLE cases ADD COLUMN handled_at TEXT;
ALTER TABLE cases ADD COLUMN closed_at TEXT;
ALTER TABLE cases ADD COLUMN reworks INTEGER NOT NULL DEFAULT 0;
ALTER TABLE cases ADD COLUMN extensions INTEGER NOT NULL DEFAULT 0;
ALTER TABLE cases ADD COLUMN returns INTEGER NOT NULL DEFAULT 0;
ALTER TABLE cases ADD COLUMN dispatches INTEGER NOT NULL DEFAULT 0;
ALTER TABLE cases ADD COLUMN events INTEGER NOT NULL DEFAULT 0;

UPDATE cases SET
    handled_at = (SELECT MIN(at) FROM case_events e WHERE e.case_id = cases.fid AND e.action IN ('handle', 'handle_on_spot')),
    closed_at = (SELECT MAX(at) FROM case_events e WHERE e.case_id = cases.fid AND e.action = 'close'),
    reworks = (SELECT COUNT(*) FROM case_events e WHERE e.case_id = cases.fid AND e.action = 'rework'),
    extensions = (SELECT COUNT(*) FROM case_events e WHERE e.case_id = cases.fid AND e.action = 'extend'),
    returns = (SELECT COUNT(*) FROM case_events e WHERE e.case_id = cases.fid AND e.action = 'return'),
    dispatches = (SELECT COUNT(*) FROM case_events e WHERE e.case_id = cases.fid AND e.action = 'dispatch'),
    events = (SELECT COUNT(*) FROM case_events e WHERE e.case_id = cases.fid);

CREATE TRIGGER case_events_outcomes AFTER INSERT ON case_events
BEGIN
    UPDATE cases SET
        handled_at = CASE
            WHEN NEW.action IN ('handle', 'handle_on_spot') AND (handled_at IS NULL OR NEW.at < handled_at)
            THEN NEW.at ELSE handled_at END,
        closed_at = CASE
            WHEN NEW.action = 'close' AND (closed_at IS NULL OR NEW.at > closed_at)
            THEN NEW.at ELSE closed_at END,
        reworks = reworks + (NEW.action = 'rework'),
        extensions = extensions + (NEW.action = 'extend'),
        returns = returns + (NEW.action = 'return'),
        dispatches = dispatches + (NEW.action = 'dispatch'),
        events = events + 1
    WHERE fid = NEW.case_id;
END;

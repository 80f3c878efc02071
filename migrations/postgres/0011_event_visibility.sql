-- Who may read a note on a case: staff only (false, the default, also for every note written
-- before) or the public too (true), through Open311.
ALTER TABLE case_events ADD COLUMN public_note boolean NOT NULL DEFAULT false;

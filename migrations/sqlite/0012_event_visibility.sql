-- Who may read a note on a case: staff only (0, the default, also for every note written before)
-- or the public too (1), through Open311.
ALTER TABLE case_events ADD COLUMN public_note INTEGER NOT NULL DEFAULT 0;

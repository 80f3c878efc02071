-- A password made by citygrid (a new user's one-time password, or a reset) must be changed by
-- its user before the session serves anything beyond their own account.
ALTER TABLE users ADD COLUMN must_change_password INTEGER NOT NULL DEFAULT 0;

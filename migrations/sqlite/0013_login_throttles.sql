-- Failed logins, counted per username and client address instead of per account, so that
-- nobody can lock a user out from elsewhere: a row per (username, address); username '' holds
-- an address's failures across every account, address '*' an account's failures from every
-- address. last_login marks an address the user logged in from (a known address).
CREATE TABLE login_throttles (
    username TEXT NOT NULL,
    address TEXT NOT NULL,
    failures INTEGER NOT NULL DEFAULT 0,
    last_failure TEXT,
    blocked_until TEXT,
    last_login TEXT,
    PRIMARY KEY (username, address)
);
-- The account-wide lock it replaces.
ALTER TABLE users DROP COLUMN failed_logins;
ALTER TABLE users DROP COLUMN locked_until;

-- Failed logins, counted per username and client address instead of per account, so that
-- nobody can lock a user out from elsewhere: a row per (username, address); username '' holds
-- an address's failures across every account, address '*' an account's failures from every
-- address. last_login marks an address the user logged in from (a known address).
CREATE TABLE login_throttles (
    username text NOT NULL,
    address text NOT NULL,
    failures bigint NOT NULL DEFAULT 0,
    last_failure timestamptz,
    blocked_until timestamptz,
    last_login timestamptz,
    PRIMARY KEY (username, address)
);
-- The account-wide lock it replaces.
ALTER TABLE users DROP COLUMN failed_logins;
ALTER TABLE users DROP COLUMN locked_until;

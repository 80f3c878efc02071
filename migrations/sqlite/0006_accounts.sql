-- Users and their sessions. Passwords are argon2id hashes; session tokens are stored only as
-- their SHA-256, so a copy of the database does not give anyone a way in.
CREATE TABLE users (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    username TEXT NOT NULL UNIQUE,
    display_name TEXT,
    role TEXT NOT NULL,
    password_hash TEXT NOT NULL,
    -- Community or grid codes a supervisor answers for (JSON array); empty for other roles.
    scope TEXT NOT NULL DEFAULT '[]',
    -- The officer code of an officer's account.
    officer TEXT,
    disabled INTEGER NOT NULL DEFAULT 0,
    failed_logins INTEGER NOT NULL DEFAULT 0,
    locked_until TEXT,
    created_at TEXT NOT NULL
);

CREATE TABLE sessions (
    token_hash TEXT PRIMARY KEY,
    user_id INTEGER NOT NULL REFERENCES users (id),
    created_at TEXT NOT NULL,
    expires_at TEXT NOT NULL,
    revoked INTEGER NOT NULL DEFAULT 0
);

CREATE INDEX sessions_user ON sessions (user_id);

INSERT INTO gpkg_contents (table_name, data_type, identifier, description, srs_id) VALUES
    ('users', 'attributes', 'users', 'Users (用户)', NULL);

-- Users and their sessions (argon2id password hashes; session tokens only as their SHA-256),
-- and the append-only audit log.
CREATE TABLE users (
    id bigserial PRIMARY KEY,
    username text NOT NULL UNIQUE,
    display_name text,
    role text NOT NULL,
    password_hash text NOT NULL,
    scope jsonb NOT NULL DEFAULT '[]',
    officer text,
    disabled boolean NOT NULL DEFAULT false,
    failed_logins bigint NOT NULL DEFAULT 0,
    locked_until timestamptz,
    created_at timestamptz NOT NULL
);

CREATE TABLE sessions (
    token_hash text PRIMARY KEY,
    user_id bigint NOT NULL REFERENCES users (id),
    created_at timestamptz NOT NULL,
    expires_at timestamptz NOT NULL,
    revoked boolean NOT NULL DEFAULT false
);
CREATE INDEX sessions_user ON sessions (user_id);

CREATE TABLE audit (
    seq bigserial PRIMARY KEY,
    at timestamptz NOT NULL,
    actor text NOT NULL,
    origin text NOT NULL,
    action text NOT NULL,
    status bigint NOT NULL,
    detail text
);

CREATE FUNCTION citygrid_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION '% is append-only', TG_TABLE_NAME;
END
$$;

CREATE TRIGGER audit_append_only BEFORE UPDATE OR DELETE ON audit
    FOR EACH ROW EXECUTE FUNCTION citygrid_append_only();

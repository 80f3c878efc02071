-- Rate buckets shared by every server on this database (logins and public reports per client
-- address). Unlogged: losing them in a crash only refills them. A bucket idle for two minutes
-- is full again, the same as no row, so such rows are deleted whenever a new bucket is made.
CREATE UNLOGGED TABLE rate_buckets (
    key text PRIMARY KEY,
    tokens double precision NOT NULL,
    taken boolean NOT NULL,
    last timestamptz NOT NULL
);
CREATE INDEX rate_buckets_last ON rate_buckets (last);

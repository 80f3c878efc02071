-- 12345 hotline work orders (FIELDWORK §6): each kept whole as the API's JSON (`body`: what
-- came, the loop's events and their state) beside the columns lists select by. An order changes
-- only from the version read.
CREATE TABLE work_orders (
    id bigserial PRIMARY KEY,
    number text NOT NULL UNIQUE,
    type text NOT NULL,
    status text NOT NULL,
    received_at timestamptz NOT NULL,
    version bigint NOT NULL,
    body jsonb NOT NULL
);
CREATE INDEX work_orders_received ON work_orders (received_at);
CREATE INDEX work_orders_status ON work_orders (status, received_at);

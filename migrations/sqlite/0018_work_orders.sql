-- 12345 hotline work orders (FIELDWORK §6): each kept whole as the API's JSON (`body`: what
-- came, the loop's events and their state) beside the columns lists select by. An order changes
-- only from the version read.
CREATE TABLE work_orders (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    number TEXT NOT NULL UNIQUE,
    type TEXT NOT NULL,
    status TEXT NOT NULL,
    received_at TEXT NOT NULL,
    version INTEGER NOT NULL,
    body TEXT NOT NULL
);
CREATE INDEX work_orders_received ON work_orders (received_at);
CREATE INDEX work_orders_status ON work_orders (status, received_at);

-- Campaigns (FIELDWORK §4) and their actions, and applications for approvals and filings
-- (FIELDWORK §5): each kept whole as the API's JSON (`body`) beside the columns lists and
-- figures select by. A campaign and an application change only from the version read.
CREATE TABLE campaigns (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    kind TEXT NOT NULL,
    starts TEXT NOT NULL,
    ends TEXT NOT NULL,
    version INTEGER NOT NULL,
    body TEXT NOT NULL,
    updated_at TEXT NOT NULL
);
CREATE INDEX campaigns_period ON campaigns (starts, ends);

CREATE TABLE campaign_actions (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    campaign INTEGER NOT NULL REFERENCES campaigns (id),
    at TEXT NOT NULL,
    day TEXT NOT NULL,
    community TEXT,
    body TEXT NOT NULL,
    recorded_at TEXT NOT NULL
);
CREATE INDEX campaign_actions_campaign ON campaign_actions (campaign, at);
CREATE INDEX campaign_actions_day ON campaign_actions (day);

CREATE TABLE applications (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    number TEXT NOT NULL UNIQUE,
    type TEXT NOT NULL,
    status TEXT NOT NULL,
    received_at TEXT NOT NULL,
    decided_at TEXT,
    version INTEGER NOT NULL,
    body TEXT NOT NULL
);
CREATE INDEX applications_received ON applications (received_at);
CREATE INDEX applications_status ON applications (status, received_at);

-- An assessment made for a campaign names it.
ALTER TABLE assessments ADD COLUMN campaign INTEGER;
CREATE INDEX assessments_campaign ON assessments (campaign) WHERE campaign IS NOT NULL;

-- Campaigns (FIELDWORK §4) and their actions, and applications for approvals and filings
-- (FIELDWORK §5): each kept whole as the API's JSON (`body`) beside the columns lists and
-- figures select by. A campaign and an application change only from the version read.
CREATE TABLE campaigns (
    id bigserial PRIMARY KEY,
    kind text NOT NULL,
    starts text NOT NULL,
    ends text NOT NULL,
    version bigint NOT NULL,
    body jsonb NOT NULL,
    updated_at timestamptz NOT NULL
);
CREATE INDEX campaigns_period ON campaigns (starts, ends);

CREATE TABLE campaign_actions (
    id bigserial PRIMARY KEY,
    campaign bigint NOT NULL REFERENCES campaigns (id),
    at timestamptz NOT NULL,
    day text NOT NULL,
    community text,
    body jsonb NOT NULL,
    recorded_at timestamptz NOT NULL
);
CREATE INDEX campaign_actions_campaign ON campaign_actions (campaign, at);
CREATE INDEX campaign_actions_day ON campaign_actions (day);

CREATE TABLE applications (
    id bigserial PRIMARY KEY,
    number text NOT NULL UNIQUE,
    type text NOT NULL,
    status text NOT NULL,
    received_at timestamptz NOT NULL,
    decided_at timestamptz,
    version bigint NOT NULL,
    body jsonb NOT NULL
);
CREATE INDEX applications_received ON applications (received_at);
CREATE INDEX applications_status ON applications (status, received_at);

-- An assessment made for a campaign names it.
ALTER TABLE assessments ADD COLUMN campaign bigint;
CREATE INDEX assessments_campaign ON assessments (campaign) WHERE campaign IS NOT NULL;

-- Per-site caps on what stages use (issue 16, "admission per site"): power-ons per minute (a token
-- bucket), image streams and BMC operations at once. A run at a closed gate waits in its stage
-- (deadline_action 'gate'), in the order it came (gate_since), and is never refused.
ALTER TABLE run ADD COLUMN gate_since timestamptz;
ALTER TABLE run DROP CONSTRAINT IF EXISTS run_deadline_action_check;
CREATE INDEX run_site_stage ON run (site, stage) WHERE status = 'running';

-- One row per site: the power-on bucket, and the lock that makes a site's gate checks one at a time
-- across instances.
CREATE TABLE site_gate (
    site         text             PRIMARY KEY,
    tokens       double precision NOT NULL,
    refilled_at  timestamptz      NOT NULL
);

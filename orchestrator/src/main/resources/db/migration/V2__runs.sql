-- Runs: durable per-machine workflows (issue 16). Every change of a run and the commands it
-- causes (boot intents, agent tasks, BMC commands, run facts) commit in one transaction, through
-- the outbox; a fact is applied once (processed_fact), and deadlines live here, fired by a scan.

-- The machines as inventory-service's facts describe them, and their lifecycle (the orchestrator owns it).
CREATE TABLE machine (
    id           uuid        PRIMARY KEY,
    site         text        NOT NULL,
    mac          text        UNIQUE,
    firmware     text,
    has_bmc      boolean     NOT NULL DEFAULT false,
    last_boot_id text,
    lifecycle    text        NOT NULL,
    labels       text        NOT NULL DEFAULT '{}',
    version      bigint      NOT NULL DEFAULT 0,
    updated_at   timestamptz NOT NULL DEFAULT now()
);

-- The catalog's images as image-service's facts describe them.
CREATE TABLE image (
    name        text        NOT NULL,
    version     text        NOT NULL,
    firmware    text        NOT NULL,
    format      text        NOT NULL,
    sha256      text        NOT NULL,
    raw_size    bigint      NOT NULL,
    raw_sha256  text        NOT NULL,
    boot_hints  text        NOT NULL DEFAULT '{}',
    state       text        NOT NULL,
    deployable  boolean     NOT NULL,
    created_at  timestamptz NOT NULL,
    PRIMARY KEY (name, version)
);

CREATE TABLE run (
    id              uuid        PRIMARY KEY,
    machine_id      uuid        NOT NULL,
    mac             text,
    site            text        NOT NULL,
    workflow        text        NOT NULL,
    image           text,
    params          text        NOT NULL DEFAULT '{}',
    attempt         int         NOT NULL DEFAULT 1,
    status          text        NOT NULL CHECK (status IN ('queued', 'running', 'succeeded', 'failed', 'cancelled')),
    stage           text        NOT NULL,
    stage_try       int         NOT NULL DEFAULT 1,
    -- What the stage waits for: a BMC command id or an agent task id; the RAM-OS boot it runs in.
    waiting_for     text,
    boot_id         text,
    -- The last RAM-OS boot the machine was in when the run started: its reports are not this run's.
    stale_boot_id   text,
    -- Facts from before this instant are from an earlier boot of the machine: ignored.
    boot_after      timestamptz,
    deadline        timestamptz,
    -- 'timeout' when the deadline ends the stage; 'retry' when it re-enters the stage after a backoff.
    deadline_action text        NOT NULL DEFAULT 'timeout',
    fallback_used   boolean     NOT NULL DEFAULT false,
    wrote_disk      boolean     NOT NULL DEFAULT false,
    error           text,
    idempotency_key text,
    trace           text,
    created_at      timestamptz NOT NULL DEFAULT now(),
    updated_at      timestamptz NOT NULL DEFAULT now()
);
-- One active run per machine, whatever the races between API calls.
CREATE UNIQUE INDEX run_one_active ON run (machine_id) WHERE status IN ('queued', 'running');
CREATE UNIQUE INDEX run_idempotency ON run (idempotency_key, machine_id) WHERE idempotency_key IS NOT NULL;
CREATE INDEX run_deadline ON run (deadline) WHERE status = 'running';
CREATE INDEX run_queue ON run (site, created_at) WHERE status = 'queued';
CREATE INDEX run_machine ON run (machine_id, created_at DESC);

CREATE TABLE run_history (
    id      bigserial   PRIMARY KEY,
    run_id  uuid        NOT NULL REFERENCES run (id) ON DELETE CASCADE,
    at      timestamptz NOT NULL DEFAULT clock_timestamp(),
    stage   text        NOT NULL,
    what    text        NOT NULL,
    detail  text
);
CREATE INDEX run_history_run ON run_history (run_id, id);

-- Facts applied: a redelivered or re-injected fact changes nothing.
CREATE TABLE processed_fact (
    event_id text        PRIMARY KEY,
    at       timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE outbox (
    id         bigserial   PRIMARY KEY,
    topic      text        NOT NULL,
    key        text        NOT NULL,
    type       text        NOT NULL,
    event_id   text        NOT NULL,
    headers    text        NOT NULL,
    value      bytea,      -- null: a tombstone (a desired state removed)
    created_at timestamptz NOT NULL DEFAULT clock_timestamp()
);

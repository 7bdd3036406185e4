-- bmc-service: BMC endpoints (from inventory's machine facts), the credential vault, the command
-- log that makes commands effectively once, and the power state last read from each BMC.

CREATE TABLE bmc_endpoints (
    machine_id      uuid PRIMARY KEY,
    site            text NOT NULL,
    address         text NOT NULL,
    protocol        text NOT NULL CHECK (protocol IN ('ipmi', 'redfish')),
    credentials_ref text,
    updated_at      timestamptz NOT NULL
);
CREATE INDEX bmc_endpoints_site ON bmc_endpoints (site);

-- Secrets are AES-256-GCM ciphertexts under a master key named by key_id; the reference is the
-- GCM associated data, so a ciphertext copied to another row does not decrypt.
CREATE TABLE credentials (
    ref        text PRIMARY KEY,
    username   text NOT NULL,
    key_id     text NOT NULL,
    nonce      bytea NOT NULL,
    ciphertext bytea NOT NULL,
    updated_at timestamptz NOT NULL
);

CREATE TABLE commands (
    command_id   text PRIMARY KEY,
    machine_id   uuid NOT NULL,
    action       text NOT NULL,
    state        text NOT NULL CHECK (state IN ('running', 'completed', 'failed')),
    attempt      int NOT NULL DEFAULT 0,
    reason       text,
    message      text,
    power_state  text,
    requested_by text,
    instance     text NOT NULL,
    received_at  timestamptz NOT NULL,
    finished_at  timestamptz
);
CREATE INDEX commands_machine ON commands (machine_id, received_at DESC);
CREATE INDEX commands_running ON commands (instance) WHERE state = 'running';

CREATE TABLE power_states (
    machine_id  uuid PRIMARY KEY,
    state       text NOT NULL,
    read_at     timestamptz NOT NULL
);

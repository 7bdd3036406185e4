-- Workflows as data (issue 16): operators' workflows, YAML, versioned and immutable. A run names
-- the version it started with ('name@version' in run.workflow), so a new version never changes a
-- run in flight. The built-ins (provision, reinstall, inventory, deprovision) are not stored.
CREATE TABLE workflow_definition (
    name        text        NOT NULL,
    version     int         NOT NULL CHECK (version > 0),
    source      text        NOT NULL,
    sha256      text        NOT NULL,
    description text,
    created_by  text,
    created_at  timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (name, version)
);

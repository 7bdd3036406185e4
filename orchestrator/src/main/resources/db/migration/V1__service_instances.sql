-- The per-site view of running service instances, built from service.started/stopped facts.
CREATE TABLE service_instance (
    site            text        NOT NULL,
    service         text        NOT NULL,
    instance        text        NOT NULL,
    state           text        NOT NULL CHECK (state IN ('running', 'stopped')),
    version         text,
    host            text,
    pid             bigint,
    http_url        text,
    started_at      timestamptz,
    stopped_at      timestamptz,
    -- The newest fact applied; an older or repeated fact (at-least-once delivery) changes nothing.
    last_event_id   text        NOT NULL,
    last_event_time timestamptz NOT NULL,
    PRIMARY KEY (site, service, instance)
);

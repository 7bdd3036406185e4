-- The event log (issue 16, section 3): every fact of every topic a machine's timeline is made of,
-- kept for a while so a live stream can resume from the last event id it was given.
--
-- Why tx: a bigserial is handed out at insert, but rows become visible at commit, so a reader that
-- tails by seq alone can step over a row that commits late. Readers order by (tx, seq) and read only
-- rows whose transaction is older than every transaction still running
-- (tx < pg_snapshot_xmin(pg_current_snapshot())): that set never grows behind the reader's back.
CREATE TABLE event_log (
    seq          bigserial   PRIMARY KEY,
    tx           xid8        NOT NULL DEFAULT pg_current_xact_id(),
    event_id     text        NOT NULL UNIQUE,
    type         text        NOT NULL,
    source       text        NOT NULL,
    site         text        NOT NULL,
    subject      text,
    subject_key  text,
    machine_id   uuid,
    time         timestamptz NOT NULL,
    traceparent  text,
    data         text        NOT NULL,
    logged_at    timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX event_log_order ON event_log (tx, seq);
CREATE INDEX event_log_machine ON event_log (machine_id, tx, seq);
CREATE INDEX event_log_key ON event_log (subject_key, tx, seq);
CREATE INDEX event_log_site ON event_log (site, tx, seq);
CREATE INDEX event_log_logged ON event_log (logged_at);

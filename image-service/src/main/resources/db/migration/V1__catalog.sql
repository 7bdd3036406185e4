-- image-service: the catalog and the outbox of its facts (written in the same transaction).

CREATE TABLE images (
    id          uuid PRIMARY KEY,
    name        text NOT NULL,
    version     text NOT NULL,
    os          text NOT NULL,
    arch        text NOT NULL CHECK (arch IN ('x86_64', 'aarch64')),
    firmware    text NOT NULL CHECK (firmware IN ('bios', 'uefi', 'both')),
    format      text NOT NULL CHECK (format IN ('raw', 'raw.gz', 'raw.xz', 'raw.zst')),
    size        bigint NOT NULL,
    sha256      text NOT NULL,
    raw_size    bigint NOT NULL,
    raw_sha256  text NOT NULL,
    labels      jsonb NOT NULL DEFAULT '{}',
    signature   text NOT NULL CHECK (signature IN ('verified', 'unverified', 'unsigned')),
    signed_by   text,
    minisig     text,
    boot_hints  jsonb NOT NULL DEFAULT '{}',
    state       text NOT NULL CHECK (state IN ('published', 'deprecated', 'yanked')),
    reason      text,
    created_at  timestamptz NOT NULL,
    updated_at  timestamptz NOT NULL,
    UNIQUE (name, version)
);
CREATE INDEX images_sha256 ON images (sha256);
CREATE INDEX images_listing ON images (name, created_at DESC, id);

CREATE TABLE outbox (
    id         bigserial PRIMARY KEY,
    topic      text NOT NULL,
    key        text NOT NULL,
    type       text NOT NULL,
    event_id   text NOT NULL,
    headers    text NOT NULL,
    value      bytea NOT NULL,
    created_at timestamptz NOT NULL DEFAULT now()
);

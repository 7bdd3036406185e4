-- Which site caches hold which blobs (issue 17: the console's images page), from the caches'
-- own facts on wings.image.facts (fetched, evicted), kept by the view consumer that already
-- reads that topic for the catalog. One row per cache instance, so a site with two caches keeps
-- a blob listed until both evicted it.
CREATE TABLE image_cache (
    digest     text        NOT NULL,
    source     text        NOT NULL,
    site       text        NOT NULL,
    bytes      bigint      NOT NULL,
    fetched_at timestamptz NOT NULL,
    PRIMARY KEY (digest, source)
);

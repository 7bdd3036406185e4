package io.pxewings.events.image;

/**
 * A site cache fetched a blob from its upstream (verified), or evicted one.
 *
 * @param digest   the blob, {@code sha256:<hex>}
 * @param bytes    its size
 * @param upstream the host it was fetched from (fetched), or null (evicted)
 */
public record CacheBlob(String digest, long bytes, String upstream) {
}

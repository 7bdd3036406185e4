package io.pxewings.image.config;

import java.time.Duration;
import java.util.List;
import java.util.Optional;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import jakarta.validation.constraints.Min;

/** image-service settings under {@code wings.image.*}; an invalid value stops the service at start, naming the key. */
@ConfigMapping(prefix = "wings.image")
public interface ImageConfig {

    /** Directory of the content-addressed blob store (and of uploads in progress). */
    @WithDefault(".wings/blobs")
    String blobStore();

    /**
     * Only images signed by a trusted key are deployable. Unsigned or unverifiable images are
     * still stored (as {@code unsigned} / {@code unverified}) and never deployed.
     */
    @WithDefault("true")
    boolean requireSignature();

    /**
     * Trusted minisign public keys: each the base64 line of a {@code minisign.pub} (RWQ...),
     * separated by commas.
     */
    Optional<List<String>> trustedKeys();

    /** A file of trusted minisign public keys: {@code minisign.pub} files concatenated, or one key per line. */
    Optional<String> trustedKeysFile();

    /** Uploads with no request for this long are abandoned and their bytes deleted. */
    @WithDefault("PT1H")
    Duration uploadTimeout();

    /** Blobs no image references are deleted after this grace (an upload about to be published keeps its blob). */
    @WithDefault("PT1H")
    Duration gcGrace();

    /** How often garbage is collected. */
    @WithDefault("PT10M")
    Duration gcInterval();

    Cache cache();

    /** Imports: a qcow2 upload converted to raw.zst when it is published. */
    @io.smallrye.config.WithName("import")
    Import imports();

    interface Import {
        /** The largest disk (qcow2 virtual size) accepted: the conversion's raw file may need that much free space. */
        @WithDefault("2199023255552")
        @Min(1)
        long maxVirtualSize();

        /** Bound on one qemu-img run (the conversion of a large image takes minutes). */
        @WithDefault("PT1H")
        Duration timeout();
    }

    /** Cache mode: a site's pull-through cache of a central image-service. */
    interface Cache {
        /** The central image-service (http://host:port); set, this instance is a site cache. */
        Optional<String> upstream();

        /** Bytes of blobs kept, least recently used out first. */
        @WithDefault("107374182400")
        @Min(1)
        long budgetBytes();
    }
}

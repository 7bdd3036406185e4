package io.pxewings.image.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** image-service settings under {@code wings.image.*}; an invalid value stops the service at start, naming the key. */
@ConfigMapping(prefix = "wings.image")
public interface ImageConfig {

    /** Directory of the content-addressed blob store. */
    @WithDefault(".wings/blobs")
    String blobStore();
}

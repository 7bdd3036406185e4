package io.pxewings.bmc.config;

import java.time.Duration;
import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** bmc-service settings under {@code wings.bmc.*}; an invalid value stops the service at start, naming the key. */
@ConfigMapping(prefix = "wings.bmc")
public interface BmcConfig {

    /** How long one BMC request may take before it counts as failed. */
    @WithDefault("PT10S")
    Duration requestTimeout();
}

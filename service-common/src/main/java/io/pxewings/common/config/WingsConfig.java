package io.pxewings.common.config;

import java.util.Optional;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithName;
import jakarta.validation.constraints.Pattern;

/**
 * Settings every service shares. A missing or invalid value stops the service at start with the
 * key's name ({@code wings.site}, {@code wings.instance}).
 */
@ConfigMapping(prefix = "wings")
public interface WingsConfig {

    /** DNS-label form, like the names in CloudEvents sources, topics and metric tags. */
    String NAME_PATTERN = "[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?";

    /** The site this instance serves; every event it publishes carries it. */
    @Pattern(regexp = NAME_PATTERN, message = "must be a lower-case DNS label (a-z, 0-9, '-'), e.g. fra1")
    String site();

    /** This instance's id within the site; defaults to the host name. */
    @WithName("instance")
    Optional<@Pattern(regexp = NAME_PATTERN, message = "must be a lower-case DNS label (a-z, 0-9, '-')") String> instance();
}

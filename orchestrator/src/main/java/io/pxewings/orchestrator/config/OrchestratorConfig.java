package io.pxewings.orchestrator.config;

import java.time.Duration;
import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** orchestrator settings under {@code wings.orchestrator.*}; an invalid value stops the service at start, naming the key. */
@ConfigMapping(prefix = "wings.orchestrator")
public interface OrchestratorConfig {

    /** A service instance silent for longer than this is shown as stale. */
    @WithDefault("PT2M")
    Duration serviceStaleAfter();
}

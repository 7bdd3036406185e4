package io.pxewings.console.proxy;

import java.net.URI;
import java.util.Map;

import io.smallrye.config.ConfigMapping;

/** The console's configuration (console/README.md, "Config"). */
@ConfigMapping(prefix = "wings.console")
public interface ConsoleConfig {

    /** Each service's API by the name the pages use: {@code /proxy/NAME/PATH} is {@code NAME}'s {@code PATH}. */
    Map<String, URI> upstreams();
}

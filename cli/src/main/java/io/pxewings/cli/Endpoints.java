package io.pxewings.cli;

import java.net.URI;
import java.nio.file.Path;
import java.util.Map;

/**
 * Where the services' APIs are: {@code WINGS_<SERVICE>_URL}, else loopback on
 * {@code WINGS_<SERVICE>_PORT} (what {@code ./wings up} uses), else the default port. The lab's
 * directory names its machines ({@code lab-N}).
 */
public record Endpoints(URI orchestrator, URI inventory, URI bmc, Path labDir) {

    public static Endpoints from(Map<String, String> env) {
        return new Endpoints(url(env, "ORCHESTRATOR", 8086), url(env, "INVENTORY", 8083), url(env, "BMC", 8084),
                env.containsKey("WINGS_LAB_DIR") ? Path.of(env.get("WINGS_LAB_DIR")) : null);
    }

    private static URI url(Map<String, String> env, String service, int port) {
        String url = env.get("WINGS_" + service + "_URL");
        if (url != null && !url.isBlank()) {
            return URI.create(url.endsWith("/") ? url.substring(0, url.length() - 1) : url);
        }
        return URI.create("http://127.0.0.1:" + env.getOrDefault("WINGS_" + service + "_PORT", Integer.toString(port)));
    }
}

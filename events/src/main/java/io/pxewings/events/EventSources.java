package io.pxewings.events;

import java.util.regex.Pattern;

/** Builds and checks CloudEvents {@code source} values: {@code /sites/<site>/<service>/<instance>}. */
public final class EventSources {

    /** Site, service and instance names: DNS-label-like, so they fit URLs, topics and metrics. */
    public static final Pattern NAME = Pattern.compile("[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?");

    private EventSources() {
    }

    public static String of(String site, String service, String instance) {
        check("site", site);
        check("service", service);
        check("instance", instance);
        return "/sites/" + site + "/" + service + "/" + instance;
    }

    private static void check(String what, String value) {
        if (value == null || !NAME.matcher(value).matches()) {
            throw new IllegalArgumentException(what + " must be a lower-case DNS label, was '" + value + "'");
        }
    }
}

package io.pxewings.events;

import io.pxewings.events.catalog.EventType;
import io.pxewings.events.service.ServiceStarted;
import io.pxewings.events.service.ServiceStopped;

/** Every CloudEvent type of the contract, with its topic and payload. */
public final class EventTypes {

    public static final EventType<ServiceStarted> SERVICE_STARTED = new EventType<>(
            "io.pxewings.service.started.v1", Topics.SERVICE_LIFECYCLE, ServiceStarted.class,
            "'<service>/<instance>'", "A service instance started and is about to report ready.");

    public static final EventType<ServiceStopped> SERVICE_STOPPED = new EventType<>(
            "io.pxewings.service.stopped.v1", Topics.SERVICE_LIFECYCLE, ServiceStopped.class,
            "'<service>/<instance>'", "A service instance began an orderly shutdown.");

    private EventTypes() {
    }
}

package io.pxewings.common.edge;

import io.micrometer.core.instrument.MeterRegistry;
import io.pxewings.common.config.ServiceIdentity;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;

/**
 * The local views edge services answer machines from, one per service instance. A service that
 * injects neither has neither (Quarkus removes unused beans); each service feeds them from its
 * own consumers, because channel names and groups are its own.
 */
public class EdgeViews {

    @Produces
    @Singleton
    static BootIntentView bootIntentView(MeterRegistry registry) {
        return new BootIntentView(registry);
    }

    @Produces
    @Singleton
    static LeaseAddresses leaseAddresses(ServiceIdentity identity) {
        return new LeaseAddresses(identity.site());
    }
}

package io.pxewings.dhcp.reservation;

import io.pxewings.dhcp.lease.LeaseStore;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;

/** One lease store per process, shared by the server and the reservation consumer. */
public class LeaseStoreProducer {

    @Produces
    @Singleton
    LeaseStore leaseStore() {
        return new LeaseStore();
    }
}

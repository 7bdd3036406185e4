package io.pxewings.inventory.outbox;

import java.util.function.Supplier;

import io.quarkus.hibernate.reactive.panache.Panache;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

/** A unit of work whose facts go out as soon as it commits: a transaction, then a relay wake-up. */
@ApplicationScoped
public class Transactions {

    @Inject
    OutboxRelay relay;

    public <T> Uni<T> run(Supplier<Uni<T>> work) {
        return Panache.withTransaction(work).invoke(ignored -> relay.wake());
    }
}

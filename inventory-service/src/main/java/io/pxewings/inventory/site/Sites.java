package io.pxewings.inventory.site;

import io.quarkus.hibernate.reactive.panache.Panache;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * Sites come into being with their first machine (from an import, the API or a fact from that
 * site). Sites are never deleted, so one this instance has written is remembered and not written
 * again: a round trip less for every new machine.
 */
@ApplicationScoped
public class Sites {

    private final java.util.Set<String> known = java.util.concurrent.ConcurrentHashMap.newKeySet();

    public Uni<Void> ensure(String site) {
        if (known.contains(site)) {
            return Uni.createFrom().voidItem();
        }
        io.vertx.core.Context context = io.vertx.core.Vertx.currentContext();
        return Panache.getSession().flatMap(s -> s
                .createNativeQuery("insert into site (name) values (?1) on conflict (name) do nothing")
                .setParameter(1, site)
                .executeUpdate())
                .invoke(() -> {
                    // Remembered once the transaction commits (Transactions calls committed): a
                    // rolled-back first machine must not leave a site this instance thinks exists.
                    if (context != null) {
                        java.util.Set<String> pending = context.getLocal(PENDING);
                        if (pending == null) {
                            pending = new java.util.HashSet<>();
                            context.putLocal(PENDING, pending);
                        }
                        pending.add(site);
                    }
                }).replaceWithVoid();
    }

    static final String PENDING = "wings.sites.pending";

    /** After a commit: the sites its transaction wrote exist. */
    public void committed() {
        io.vertx.core.Context context = io.vertx.core.Vertx.currentContext();
        if (context != null) {
            java.util.Set<String> pending = context.getLocal(PENDING);
            if (pending != null) {
                known.addAll(pending);
                context.removeLocal(PENDING);
            }
        }
    }

    /** After a rollback: forget what its transaction wrote. */
    public void rolledBack() {
        io.vertx.core.Context context = io.vertx.core.Vertx.currentContext();
        if (context != null) {
            context.removeLocal(PENDING);
        }
    }
}

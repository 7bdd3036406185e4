package io.pxewings.inventory.site;

import io.quarkus.hibernate.reactive.panache.Panache;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * Sites come into being with their first machine (from an import, the API or a fact from that
 * site). Written every time, not remembered: an in-memory "known" set saved one cheap round trip
 * per new machine, and broke imports when the table was emptied behind the service's back.
 */
@ApplicationScoped
public class Sites {

    public Uni<Void> ensure(String site) {
        return Panache.getSession().flatMap(s -> s
                .createNativeQuery("insert into site (name) values (?1) on conflict (name) do nothing")
                .setParameter(1, site)
                .executeUpdate()).replaceWithVoid();
    }
}

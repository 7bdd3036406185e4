package io.pxewings.inventory.machine;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import io.pxewings.inventory.query.MachineQuery;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;

/** Reads machines with their NICs loaded (Hibernate Reactive never loads lazily behind your back). */
@ApplicationScoped
public class MachineStore {

    static final String WITH_NICS = "select distinct m from Machine m left join fetch m.nics ";

    public Uni<Machine> byId(UUID id) {
        return Machine.<Machine>find(WITH_NICS + "where m.id = ?1", id).firstResult();
    }

    public Uni<Machine> byMac(String mac) {
        return Nic.<Nic>find("select n from Nic n join fetch n.machine where n.mac = ?1", mac).firstResult()
                .flatMap(n -> n == null ? Uni.createFrom().nullItem() : byId(n.machine.id));
    }

    public Uni<Machine> bySystemUuid(String uuid) {
        return Machine.<Machine>find(WITH_NICS + "where m.systemUuid = ?1", uuid).firstResult();
    }

    /** Serials repeat across vendors, so a serial only identifies a machine together with its manufacturer. */
    public Uni<Machine> bySerial(String manufacturer, String serial) {
        return Machine.<Machine>find(WITH_NICS + "where m.serial = ?1 and m.manufacturer = ?2 order by m.createdAt",
                serial, manufacturer).firstResult();
    }

    /** Which machine holds each of these MACs (only the ones that exist). */
    public Uni<Map<String, UUID>> owners(List<String> macs) {
        if (macs.isEmpty()) {
            return Uni.createFrom().item(Map.of());
        }
        return Nic.<Nic>find("select n from Nic n join fetch n.machine where n.mac in ?1", macs).list().map(nics -> {
            Map<String, UUID> out = new HashMap<>();
            nics.forEach(n -> out.put(n.mac, n.machine.id));
            return out;
        });
    }

    /** One page (plus one row, to know whether there is a next page), in the query's order. */
    public Uni<List<Machine>> page(MachineQuery query) {
        MachineQuery.Sql sql = query.toSql();
        return Panache.getSession().flatMap(session -> {
            var q = session.createNativeQuery(sql.statement(), String.class);
            for (int i = 0; i < sql.params().size(); i++) {
                q.setParameter(i + 1, sql.params().get(i));
            }
            return q.getResultList();
        }).flatMap(ids -> {
            if (ids.isEmpty()) {
                return Uni.createFrom().item(List.<Machine>of());
            }
            List<UUID> uuids = ids.stream().map(UUID::fromString).toList();
            return Machine.<Machine>list(WITH_NICS + "where m.id in ?1", uuids).map(found -> {
                Map<UUID, Machine> byId = new HashMap<>();
                found.forEach(m -> byId.put(m.id, m));
                List<Machine> ordered = new ArrayList<>(uuids.size());
                for (UUID id : uuids) {
                    Machine m = byId.get(id);
                    if (m != null) {
                        ordered.add(m);
                    }
                }
                return ordered;
            });
        });
    }
}

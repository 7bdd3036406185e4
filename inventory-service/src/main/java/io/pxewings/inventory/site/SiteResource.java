package io.pxewings.inventory.site;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import io.pxewings.inventory.validation.Fields;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.quarkus.hibernate.reactive.panache.common.WithSession;
import io.smallrye.mutiny.Uni;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.NotFoundException;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

/** Sites and how many machines each has, by state. */
@Path("/api/v1/sites")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "sites")
public class SiteResource {

    /**
     * @param name     the site
     * @param createdAt when its first machine arrived
     * @param machines machines in it
     * @param states   machines by state
     */
    public record SiteView(String name, String createdAt, long machines, Map<String, Long> states) {
    }

    static final String COUNTS = "select s.name, cast(s.created_at as text), m.state, count(m.id) from site s "
            + "left join machine m on m.site = s.name %s group by s.name, s.created_at, m.state order by s.name";

    @GET
    @WithSession
    @Operation(summary = "List sites", description = "Every site inventory knows, with machine counts by state.")
    public Uni<List<SiteView>> list() {
        return counts(null);
    }

    @GET
    @Path("{name}")
    @WithSession
    @Operation(summary = "Read a site")
    public Uni<SiteView> get(@PathParam("name") String name) {
        String site = Fields.site("name", name);
        return counts(site).map(sites -> {
            if (sites.isEmpty()) {
                throw new NotFoundException("no site " + site);
            }
            return sites.get(0);
        });
    }

    private Uni<List<SiteView>> counts(String site) {
        String sql = String.format(COUNTS, site == null ? "" : "where s.name = ?1");
        return Panache.getSession().flatMap(s -> {
            var q = s.createNativeQuery(sql, Object[].class);
            if (site != null) {
                q.setParameter(1, site);
            }
            return q.getResultList();
        }).map(rows -> {
            Map<String, SiteView> out = new LinkedHashMap<>();
            for (Object[] row : rows) {
                String name = (String) row[0];
                SiteView v = out.computeIfAbsent(name, n -> new SiteView(n, (String) row[1], 0, new TreeMap<>()));
                if (row[2] != null) {
                    long n = ((Number) row[3]).longValue();
                    v.states().put((String) row[2], n);
                    out.put(name, new SiteView(name, v.createdAt(), v.machines() + n, v.states()));
                }
            }
            return new ArrayList<>(out.values());
        });
    }
}

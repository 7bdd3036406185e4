package io.pxewings.inventory.api;

import java.util.Map;

import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

import com.fasterxml.jackson.core.JsonProcessingException;

import io.pxewings.common.problem.ProblemMappers;
import io.pxewings.inventory.validation.InvalidField;
import io.vertx.pgclient.PgException;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;

/**
 * The inventory API's errors as RFC 9457 problems: a bad value is a 400 naming the field; data
 * another machine holds is a 409 naming it; a lost update is a 412. Hibernate Reactive reports
 * database failures wrapped, so the causes are searched for what happened.
 */
public class ApiErrors {

    /** Unique indexes of V1__machines.sql, by the field an API user knows them as. */
    static final Map<String, String> UNIQUE = Map.of(
            "machine_site_hostname", "hostname: another machine of the site has this host name",
            "machine_system_uuid", "systemUuid: another machine has this SMBIOS UUID",
            "machine_bmc_address", "bmc.address: another machine has this BMC address",
            "nic_address", "nics.address: another NIC has this address reserved",
            "nic_pkey", "nics.mac: another machine has this MAC");

    @ServerExceptionMapper
    public Response invalid(InvalidField e, UriInfo uri) {
        return ProblemMappers.problem(400, "Bad Request", e.field() + ": " + e.getMessage(), uri);
    }

    @ServerExceptionMapper
    public Response conflict(Conflict e, UriInfo uri) {
        return ProblemMappers.problem(409, "Conflict", e.getMessage(), uri);
    }

    @ServerExceptionMapper
    public Response precondition(PreconditionFailed e, UriInfo uri) {
        return ProblemMappers.problem(412, "Precondition Failed", e.getMessage(), uri);
    }

    @ServerExceptionMapper
    public Response json(JsonProcessingException e, UriInfo uri) {
        return ProblemMappers.problem(400, "Bad Request", "body: not valid JSON: " + e.getOriginalMessage(), uri);
    }

    /** Database failures, however wrapped: a lost optimistic lock is 412, a unique index 409. */
    @ServerExceptionMapper({jakarta.persistence.PersistenceException.class, org.hibernate.HibernateException.class,
            java.util.concurrent.CompletionException.class, PgException.class})
    public Response persistence(RuntimeException e, UriInfo uri) {
        Response known = known(e, uri);
        return known != null ? known : new io.pxewings.common.problem.ProblemMappers().unexpected(e, uri);
    }

    static Response known(Throwable e, UriInfo uri) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof jakarta.persistence.OptimisticLockException || t instanceof org.hibernate.StaleStateException) {
                return ProblemMappers.problem(412, "Precondition Failed",
                        "the machine changed while this request ran (another writer won); GET it again and reapply the change", uri);
            }
            if (t instanceof InvalidField f) {
                return ProblemMappers.problem(400, "Bad Request", f.field() + ": " + f.getMessage(), uri);
            }
            if (t instanceof Conflict c) {
                return ProblemMappers.problem(409, "Conflict", c.getMessage(), uri);
            }
            if (t instanceof PreconditionFailed p) {
                return ProblemMappers.problem(412, "Precondition Failed", p.getMessage(), uri);
            }
            String constraint = uniqueViolated(t);
            if (constraint != null) {
                return ProblemMappers.problem(409, "Conflict", UNIQUE.getOrDefault(constraint,
                        "a unique value is already taken (" + constraint + ")"), uri);
            }
        }
        return null;
    }

    private static final java.util.regex.Pattern CONSTRAINT = java.util.regex.Pattern.compile("unique constraint \"([a-z_]+)\"");

    /** The unique index a failure violated (SQLSTATE 23505), however Hibernate Reactive wrapped it; else null. */
    public static String uniqueViolated(Throwable t) {
        if (t instanceof PgException pg && "23505".equals(pg.getSqlState())) {
            return pg.getConstraint();
        }
        if (t instanceof org.hibernate.exception.ConstraintViolationException c) {
            if (c.getConstraintName() != null) {
                return c.getConstraintName();
            }
            var m = CONSTRAINT.matcher(String.valueOf(c.getMessage()));
            return m.find() ? m.group(1) : "unique";
        }
        return null;
    }
}

package io.pxewings.bmc.api;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import io.pxewings.bmc.bmc.BmcException;
import io.pxewings.bmc.bmc.BmcHealth;
import io.pxewings.bmc.bmc.PowerState;
import io.pxewings.bmc.commands.CommandRunner;
import io.pxewings.bmc.commands.Plan;
import io.pxewings.bmc.sessions.BmcClients;
import io.pxewings.bmc.sessions.Gate;
import io.pxewings.bmc.sessions.Gates;
import io.pxewings.bmc.store.CommandLog;
import io.pxewings.bmc.store.Endpoints;
import io.pxewings.bmc.store.Endpoints.Endpoint;
import io.pxewings.bmc.store.PowerStates;
import io.pxewings.common.events.EventPublisher;
import io.pxewings.events.EventTypes;
import io.pxewings.events.bmc.BmcCommand;
import io.pxewings.events.codec.Traceparent;
import jakarta.inject.Inject;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

/**
 * A machine's power, boot device, virtual media and BMC. Every action becomes a command on
 * {@code wings.bmc.commands}, as the orchestrator's do, so it has one path, one record and one
 * result fact; {@code ?wait=N} (seconds, at most 60) waits for that result.
 */
@Path("/api/v1/machines/{id}")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "machines")
public class MachineBmcResource {

    @Inject
    Endpoints endpoints;

    @Inject
    PowerStates powerStates;

    @Inject
    CommandLog log;

    @Inject
    EventPublisher publisher;

    @Inject
    BmcClients clients;

    @Inject
    Gates gates;

    @Inject
    CommandRunner runner;

    @Inject
    io.pxewings.bmc.config.BmcConfig config;

    @GET
    @Path("/power")
    @Operation(summary = "The machine's power state: last read, or read now with live=true")
    public Bodies.PowerView power(@PathParam("id") String id, @QueryParam("live") @DefaultValue("false") boolean live) {
        Endpoint e = endpoint(id);
        if (live) {
            PowerState s = await(gates.run(e, () -> clients.of(e).powerState()));
            runner.changed(id, s, "command", null, Traceparent.newRoot());
            return new Bodies.PowerView(id, s.wire(), Instant.now(), "live", bmc(e));
        }
        var known = powerStates.get(id);
        return new Bodies.PowerView(id, known.map(PowerStates.Known::state).orElse(null), known.map(PowerStates.Known::readAt).orElse(null),
                "last-read", bmc(e));
    }

    @POST
    @Path("/power")
    @Operation(summary = "Power on, off, cycle, hard-reset or soft-off, confirmed by reading the power back")
    public Response power(@PathParam("id") String id, Bodies.PowerRequest body, @QueryParam("wait") @DefaultValue("0") int wait,
                          @QueryParam("requestedBy") String by) {
        String action = body == null || body.action() == null ? "" : body.action();
        String commandAction = switch (action) {
            case "on", "off", "cycle" -> "power-" + action;
            case "hard-reset", "soft-off" -> action;
            default -> throw new IllegalArgumentException("action must be on, off, cycle, hard-reset or soft-off");
        };
        return command(id, new BmcCommand(UUID.randomUUID().toString(), id, commandAction, null, null, null, null, who(by)), wait);
    }

    @PUT
    @Path("/boot-device")
    @Operation(summary = "Set the next (or every) boot's device: pxe, disk, bios-setup, cd or none")
    public Response bootDevice(@PathParam("id") String id, Bodies.BootDeviceRequest body, @QueryParam("wait") @DefaultValue("0") int wait,
                               @QueryParam("requestedBy") String by) {
        if (body == null) {
            throw new IllegalArgumentException("body: {device, persistent, efi} expected");
        }
        return command(id, new BmcCommand(UUID.randomUUID().toString(), id, "set-boot-device", body.device(), body.persistent(),
                body.efi(), null, who(by)), wait);
    }

    @POST
    @Path("/virtual-media")
    @Operation(summary = "Insert an image by URL, or eject (Redfish BMCs)")
    public Response media(@PathParam("id") String id, Bodies.MediaRequest body, @QueryParam("wait") @DefaultValue("0") int wait,
                          @QueryParam("requestedBy") String by) {
        String action = body == null || body.action() == null ? "" : body.action();
        if (!action.equals("insert") && !action.equals("eject")) {
            throw new IllegalArgumentException("action must be insert or eject");
        }
        return command(id, new BmcCommand(UUID.randomUUID().toString(), id, action + "-media", null, null, null,
                body.url(), who(by)), wait);
    }

    @GET
    @Path("/bmc")
    @Operation(summary = "The machine's BMC: endpoint, breaker, and with health=true its identity and health read now")
    public Map<String, Object> bmc(@PathParam("id") String id, @QueryParam("health") @DefaultValue("false") boolean health) {
        Endpoint e = endpoint(id);
        Map<String, Object> out = new java.util.LinkedHashMap<>();
        out.put("machineId", id);
        out.put("bmc", bmc(e));
        if (health) {
            BmcHealth h = await(gates.run(e, () -> clients.of(e).health()));
            out.put("health", h);
        }
        return out;
    }

    @GET
    @Path("/commands")
    @Operation(summary = "The machine's recent BMC commands, newest first")
    public List<CommandLog.Entry> commands(@PathParam("id") String id, @QueryParam("limit") @DefaultValue("20") int limit) {
        machineId(id);
        if (limit < 1 || limit > 500) {
            throw new IllegalArgumentException("limit must be 1-500");
        }
        return log.ofMachine(id, limit);
    }

    private Response command(String id, BmcCommand c, int wait) {
        if (wait < 0 || wait > 60) {
            throw new IllegalArgumentException("wait must be 0-60 seconds");
        }
        endpoint(id);
        Plan.of(c);   // the same checks the consumer makes, answered here as a 400
        taken(c);
        String location = "/api/v1/commands/" + c.commandId();
        Instant deadline = Instant.now().plus(Duration.ofSeconds(wait));
        while (wait > 0 && Instant.now().isBefore(deadline)) {
            var entry = log.get(c.commandId());
            if (entry.isPresent() && !entry.get().state().equals("running")) {
                return Response.ok(entry.get()).header("Location", location).build();
            }
            sleep(200);
        }
        return Response.accepted(new Bodies.Accepted(c.commandId(), id, c.action(), location)).header("Location", location).build();
    }

    /**
     * Puts {@code c} on Kafka with a deadline ({@code wings.bmc.accept-timeout}) and waits for the
     * acknowledgement until a little after it. Not acknowledged by then (Kafka away): a 503 that says
     * the command was not taken, and the consumer fails it as expired if it arrives later, so the
     * caller's answer stays true.
     */
    private void taken(BmcCommand c) {
        Instant notAfter = Instant.now().plus(config.acceptTimeout());
        BmcCommand due = c.withNotAfter(notAfter);
        try {
            publisher.publish(EventTypes.BMC_COMMAND_REQUESTED, c.machineId(), due).toCompletableFuture()
                    .get(config.acceptTimeout().toMillis() + ACK_GRACE_MS, TimeUnit.MILLISECONDS);
        } catch (java.util.concurrent.TimeoutException | java.util.concurrent.ExecutionException e) {
            throw new ApiErrors.Unavailable("the command was not taken: Kafka did not acknowledge it within "
                    + config.acceptTimeout().toSeconds() + " s (" + (e instanceof java.util.concurrent.ExecutionException x ? x.getCause() : "no answer")
                    + "); it will not be carried out (a late copy fails as expired)");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** Beyond notAfter, for an acknowledgement on its way: a command acknowledged late is failed as expired, never run. */
    static final long ACK_GRACE_MS = 1000;

    private Endpoint endpoint(String id) {
        machineId(id);
        return endpoints.get(id).orElseThrow(() -> new ApiErrors.NotFound("machine " + id + " has no BMC endpoint "
                + "(inventory-service records it: bmc {address, protocol, credentialsRef})"));
    }

    private Bodies.Bmc bmc(Endpoint e) {
        Gate.BreakerView b = gates.breaker(e);
        return new Bodies.Bmc(e.address(), e.protocol(), e.credentialsRef(), b.state(), b.failures(), b.lastReason());
    }

    static void machineId(String id) {
        if (id == null || !id.matches("[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}")) {
            throw new IllegalArgumentException("machine id must be a lower-case UUID");
        }
    }

    static String who(String by) {
        if (by == null || by.isBlank()) {
            return "api";
        }
        if (!by.matches("[A-Za-z0-9._@:-]{1,64}")) {
            throw new IllegalArgumentException("requestedBy: letters, digits and ._@:-, at most 64");
        }
        return by;
    }

    static <T> T await(java.util.concurrent.CompletableFuture<T> f) {
        try {
            return f.get(120, TimeUnit.SECONDS);
        } catch (java.util.concurrent.ExecutionException e) {
            Throwable c = e.getCause();
            if (c instanceof BmcException b) {
                throw new jakarta.ws.rs.WebApplicationException(b.getMessage(), b.unreachable() || b.reason().equals("breaker-open") ? 504 : 502);
            }
            throw c instanceof RuntimeException r ? r : new IllegalStateException(c);
        } catch (java.util.concurrent.TimeoutException e) {
            throw new jakarta.ws.rs.WebApplicationException("the BMC took longer than 120 s", 504);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}

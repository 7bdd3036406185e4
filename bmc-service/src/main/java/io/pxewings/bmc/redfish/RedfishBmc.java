package io.pxewings.bmc.redfish;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.pxewings.bmc.bmc.Bmc;
import io.pxewings.bmc.bmc.BmcException;
import io.pxewings.bmc.bmc.BmcHealth;
import io.pxewings.bmc.bmc.BootTarget;
import io.pxewings.bmc.bmc.PowerAction;
import io.pxewings.bmc.bmc.PowerState;

/**
 * A BMC over Redfish (DMTF DSP0266, schema ComputerSystem, VirtualMedia, Task): the service root
 * names the system (the first member of {@code Systems}, or the one configured), its reset action
 * and its virtual media; the vendor's quirks come from the system's Manufacturer.
 *
 * <ul>
 * <li><b>Power</b>: {@code ComputerSystem.Reset} with a ResetType chosen from
 * {@code ResetType@Redfish.AllowableValues} (iDRAC has no GracefulRestart, some OpenBMC no
 * ForceRestart); a cycle with neither PowerCycle nor ForceRestart is ForceOff, wait for Off, On.
 * A 202 is followed to the end of its task monitor.</li>
 * <li><b>Boot override</b>: PATCH of {@code Boot} with If-Match (the ETag just read; on 412, the
 * strong form, then none), Mode sent only when it changes unless the vendor needs it always; a
 * PATCH refused for naming Mode is sent again without it; "Continuous" refused becomes "Once".
 * The override is read back: a BMC that said yes and changed nothing is a failure.</li>
 * <li><b>Virtual media</b>: InsertMedia and EjectMedia on the CD/DVD device (PATCH where a BMC
 * has no action); a refused InsertMedia is retried with TransferProtocolType.</li>
 * </ul>
 */
public final class RedfishBmc implements Bmc {

    /** How long a task monitor is followed; how long a fallback cycle waits for Off. */
    public record Settings(Duration taskTimeout, Duration powerOffWait, String systemPath) {
    }

    private final RedfishHttp http;
    private final Settings settings;
    private final ScheduledExecutorService timer;
    private volatile String system;
    private volatile RedfishQuirks quirks;

    public RedfishBmc(RedfishHttp http, Settings settings, ScheduledExecutorService timer) {
        this.http = http;
        this.settings = settings;
        this.timer = timer;
    }

    /** The vendor quirks in use, once the system was read. */
    public RedfishQuirks quirks() {
        return quirks;
    }

    // --- power --------------------------------------------------------------------------------

    @Override
    public CompletableFuture<PowerState> powerState() {
        return systemResource().thenApply(s -> parsePower(s.body()));
    }

    @Override
    public CompletableFuture<Void> power(PowerAction action) {
        return systemResource().thenCompose(s -> {
            JsonNode reset = s.body().path("Actions").path("#ComputerSystem.Reset");
            String target = reset.path("target").asText(null);
            if (target == null) {
                throw new BmcException("unsupported", "Redfish " + http.base() + ": the system has no ComputerSystem.Reset action");
            }
            List<String> allowed = allowed(reset.path("ResetType@Redfish.AllowableValues"));
            PowerState now = parsePower(s.body());
            if (action == PowerAction.CYCLE && now == PowerState.OFF) {
                return reset(target, pick(allowed, action, "On", "ForceOn", "PushPowerButton"));
            }
            return switch (action) {
                case ON -> reset(target, pick(allowed, action, "On", "ForceOn", "PushPowerButton"));
                case OFF -> reset(target, pick(allowed, action, "ForceOff", "GracefulShutdown"));
                case SOFT_OFF -> reset(target, pick(allowed, action, "GracefulShutdown", "PushPowerButton"));
                case HARD_RESET -> reset(target, pick(allowed, action, "ForceRestart", "PowerCycle"));
                case CYCLE -> {
                    String type = first(allowed, "PowerCycle", "ForceRestart");
                    yield type != null ? reset(target, type) : cycleByOffAndOn(target, allowed);
                }
            };
        });
    }

    /** A cycle on a BMC with neither PowerCycle nor ForceRestart: off, wait until off, on. */
    private CompletableFuture<Void> cycleByOffAndOn(String target, List<String> allowed) {
        String off = pick(allowed, PowerAction.CYCLE, "ForceOff", "GracefulShutdown");
        String on = pick(allowed, PowerAction.CYCLE, "On", "ForceOn", "PushPowerButton");
        Instant deadline = Instant.now().plus(settings.powerOffWait());
        return reset(target, off).thenCompose(v -> waitFor(PowerState.OFF, deadline)).thenCompose(v -> reset(target, on));
    }

    private CompletableFuture<Void> waitFor(PowerState state, Instant deadline) {
        return powerState().thenCompose(s -> {
            if (s == state) {
                return CompletableFuture.completedFuture(null);
            }
            if (Instant.now().isAfter(deadline)) {
                throw new BmcException("not-confirmed", "Redfish " + http.base() + ": still " + s.wire() + " after "
                        + settings.powerOffWait().toSeconds() + " s");
            }
            return later(1000).thenCompose(v -> waitFor(state, deadline));
        });
    }

    private CompletableFuture<Void> reset(String target, String type) {
        ObjectNode body = RedfishHttp.JSON.createObjectNode().put("ResetType", type);
        return http.send("POST", target, body, null).thenCompose(r -> {
            if (r.status() == 202) {
                return followTask(r, Instant.now().plus(settings.taskTimeout()), "reset " + type);
            }
            if (!r.ok()) {
                throw new BmcException("refused", "Redfish " + http.base() + " refused reset " + type + ": " + r.describe());
            }
            return CompletableFuture.completedFuture(null);
        });
    }

    /** A task monitor (DSP0266 §12.2): poll its Location until it stops answering 202. */
    private CompletableFuture<Void> followTask(RedfishHttp.Response accepted, Instant deadline, String what) {
        String monitor = accepted.location().orElse(accepted.body().path("@odata.id").asText(null));
        if (monitor == null) {
            return CompletableFuture.completedFuture(null);   // accepted with nothing to follow
        }
        long wait = accepted.retryAfterSeconds().map(s -> Math.min(s * 1000, 10_000)).orElse(1000L);
        return later(wait).thenCompose(v -> http.get(monitor)).thenCompose(r -> {
            if (r.status() == 202) {
                if (Instant.now().isAfter(deadline)) {
                    throw new BmcException("timeout", "Redfish " + http.base() + ": " + what + " still running after "
                            + settings.taskTimeout().toSeconds() + " s (task " + monitor + ")");
                }
                return followTask(new RedfishHttp.Response(202, r.etag(), r.location().or(() -> java.util.Optional.of(monitor)),
                        r.retryAfterSeconds(), r.body()), deadline, what);
            }
            String state = r.body().path("TaskState").asText("");
            if (!r.ok() || state.equals("Exception") || state.equals("Killed") || state.equals("Cancelled")) {
                throw new BmcException("refused", "Redfish " + http.base() + ": " + what + " ended " + (state.isEmpty() ? r.describe()
                        : state + " " + r.body().path("Messages").path(0).path("Message").asText("")));
            }
            return CompletableFuture.completedFuture(null);
        });
    }

    // --- boot override --------------------------------------------------------------------------

    @Override
    public CompletableFuture<Void> bootDevice(BootTarget target) {
        return systemResource().thenCompose(s -> patchBoot(s, target, etags(s), 0));
    }

    private CompletableFuture<Void> patchBoot(RedfishHttp.Response s, BootTarget target, List<String> etags, int tryAt) {
        RedfishQuirks q = quirks;
        JsonNode current = s.body().path("Boot");
        ObjectNode boot = RedfishHttp.JSON.createObjectNode();
        ObjectNode body = RedfishHttp.JSON.createObjectNode().set("Boot", boot);
        boolean none = target.device() == BootTarget.Device.NONE;
        boot.put("BootSourceOverrideTarget", redfishTarget(target.device()));
        boot.put("BootSourceOverrideEnabled", none ? "Disabled" : target.persistent() && !q.noContinuous() ? "Continuous" : "Once");
        String mode = target.efi() ? "UEFI" : "Legacy";
        if (!none && !q.neverSendMode() && (q.alwaysSendMode() || !mode.equals(current.path("BootSourceOverrideMode").asText(mode)))) {
            boot.put("BootSourceOverrideMode", mode);
        }
        // tryAt indexes the ETags to try; past them, no If-Match at all.
        String ifMatch = tryAt < etags.size() ? etags.get(tryAt) : null;
        return http.send("PATCH", system, body, ifMatch).thenCompose(r -> {
            if (r.status() == 412 && !etags.isEmpty() && tryAt < etags.size()) {
                // Lenovo XCC and others: the right ETag in the other quoting, then none at all.
                return patchBoot(s, target, etags, tryAt + 1);
            }
            if (r.status() == 400 && boot.has("BootSourceOverrideMode") && mentions(r, "BootSourceOverrideMode")) {
                quirks = q.withoutMode();
                return patchBoot(s, target, etags, tryAt);
            }
            if (r.status() == 400 && "Continuous".equals(boot.path("BootSourceOverrideEnabled").asText()) && mentions(r, "Continuous")) {
                quirks = q.onceOnly();
                return patchBoot(s, target, etags, tryAt);
            }
            if (!r.ok()) {
                throw new BmcException("refused", "Redfish " + http.base() + " refused boot override " + target.device().wire() + ": "
                        + r.describe());
            }
            return bootDeviceNow().thenAccept(now -> {
                if (now.device() != target.device()) {
                    throw new BmcException("not-confirmed", "Redfish " + http.base() + " accepted boot override " + target.device().wire()
                            + " but reports " + now.device().wire());
                }
            });
        });
    }

    @Override
    public CompletableFuture<BootTarget> bootDeviceNow() {
        return systemResource().thenApply(s -> {
            JsonNode b = s.body().path("Boot");
            String enabled = b.path("BootSourceOverrideEnabled").asText("Disabled");
            BootTarget.Device d = enabled.equals("Disabled") ? BootTarget.Device.NONE : switch (b.path("BootSourceOverrideTarget").asText("None")) {
                case "Pxe" -> BootTarget.Device.PXE;
                case "Hdd" -> BootTarget.Device.DISK;
                case "BiosSetup" -> BootTarget.Device.BIOS_SETUP;
                case "Cd" -> BootTarget.Device.CD;
                default -> BootTarget.Device.NONE;
            };
            return new BootTarget(d, enabled.equals("Continuous"), !"Legacy".equals(b.path("BootSourceOverrideMode").asText("UEFI")));
        });
    }

    // --- virtual media --------------------------------------------------------------------------

    @Override
    public CompletableFuture<Void> insertMedia(String imageUrl) {
        return cdMedia().thenCompose(cd -> {
            JsonNode action = cd.path("Actions").path("#VirtualMedia.InsertMedia").path("target");
            ObjectNode body = RedfishHttp.JSON.createObjectNode().put("Image", imageUrl).put("Inserted", true).put("WriteProtected", true);
            if (action.isMissingNode()) {
                // Some Lenovo firmware: no action, a PATCH of the device instead.
                return checked(http.send("PATCH", cd.path("@odata.id").asText(), body, null), "insert media");
            }
            return http.send("POST", action.asText(), body, null).thenCompose(r -> {
                if (r.status() == 400) {
                    // Variants some BMCs insist on: the transfer protocol and method spelled out.
                    body.put("TransferProtocolType", imageUrl.startsWith("https:") ? "HTTPS" : "HTTP").put("TransferMethod", "Stream");
                    return checked(http.send("POST", action.asText(), body, null), "insert media");
                }
                return checked(CompletableFuture.completedFuture(r), "insert media");
            });
        });
    }

    @Override
    public CompletableFuture<Void> ejectMedia() {
        return cdMedia().thenCompose(cd -> {
            JsonNode action = cd.path("Actions").path("#VirtualMedia.EjectMedia").path("target");
            if (action.isMissingNode()) {
                ObjectNode body = RedfishHttp.JSON.createObjectNode().putNull("Image").put("Inserted", false);
                return checked(http.send("PATCH", cd.path("@odata.id").asText(), body, null), "eject media");
            }
            return checked(http.send("POST", action.asText(), RedfishHttp.JSON.createObjectNode(), null), "eject media");
        });
    }

    /** The CD/DVD virtual media device: the system's, else the first manager's. */
    private CompletableFuture<JsonNode> cdMedia() {
        return systemResource().thenCompose(s -> {
            String here = s.body().path("VirtualMedia").path("@odata.id").asText(null);
            CompletableFuture<String> collection = here != null ? CompletableFuture.completedFuture(here)
                    : http.get("/redfish/v1/Managers").thenCompose(m -> {
                        String manager = m.body().path("Members").path(0).path("@odata.id").asText(null);
                        if (manager == null) {
                            throw new BmcException("unsupported", "Redfish " + http.base() + ": no manager, no virtual media");
                        }
                        return http.get(manager).thenApply(r -> r.body().path("VirtualMedia").path("@odata.id").asText(null));
                    });
            return collection.thenCompose(c -> {
                if (c == null) {
                    throw new BmcException("unsupported", "Redfish " + http.base() + " has no virtual media");
                }
                return http.get(c);
            }).thenCompose(list -> findCd(list.body().path("Members"), 0));
        });
    }

    private CompletableFuture<JsonNode> findCd(JsonNode members, int i) {
        if (i >= members.size()) {
            throw new BmcException("unsupported", "Redfish " + http.base() + ": no CD/DVD virtual media device");
        }
        return http.get(members.get(i).path("@odata.id").asText()).thenCompose(r -> {
            JsonNode d = r.body();
            for (JsonNode t : d.path("MediaTypes")) {
                if (t.asText().equals("CD") || t.asText().equals("DVD")) {
                    return CompletableFuture.completedFuture(d);
                }
            }
            if (d.path("Id").asText("").contains(quirks.mediaIdContains())) {
                return CompletableFuture.completedFuture(d);
            }
            return findCd(members, i + 1);
        });
    }

    // --- health ---------------------------------------------------------------------------------

    @Override
    public CompletableFuture<BmcHealth> health() {
        return http.get("/redfish/v1").thenCompose(root -> systemResource().thenApply(s -> {
            JsonNode b = s.body();
            String health = b.path("Status").path("Health").asText("OK");
            return new BmcHealth("redfish", b.path("Manufacturer").asText(""), b.path("Model").asText(""),
                    b.path("BiosVersion").asText(""), "Redfish " + root.body().path("RedfishVersion").asText("?") + ", quirks "
                    + quirks.vendor() + ", system health " + health, health.equals("OK"));
        }));
    }

    @Override
    public void close() {
        try {
            http.logout().get(5, TimeUnit.SECONDS);
        } catch (Exception e) {
            // The BMC expires the session itself.
        }
    }

    // --- helpers --------------------------------------------------------------------------------

    /** The system resource, finding it (and the vendor's quirks) first when needed. */
    private CompletableFuture<RedfishHttp.Response> systemResource() {
        CompletableFuture<String> path;
        if (system != null) {
            path = CompletableFuture.completedFuture(system);
        } else if (settings.systemPath() != null) {
            path = CompletableFuture.completedFuture(settings.systemPath());
        } else {
            path = http.get("/redfish/v1").thenCompose(root -> {
                String systems = root.body().path("Systems").path("@odata.id").asText(null);
                if (systems == null) {
                    throw new BmcException("unsupported", "Redfish " + http.base() + ": the service root names no Systems");
                }
                return http.get(systems);
            }).thenApply(list -> {
                String first = list.body().path("Members").path(0).path("@odata.id").asText(null);
                if (first == null) {
                    throw new BmcException("unsupported", "Redfish " + http.base() + ": no computer system");
                }
                return first;
            });
        }
        return path.thenCompose(p -> http.get(p).thenApply(r -> {
            if (!r.ok()) {
                throw new BmcException(r.status() == 404 ? "unsupported" : "refused", "Redfish " + http.base() + ": GET " + p + " "
                        + r.describe());
            }
            system = p;
            if (quirks == null) {
                quirks = RedfishQuirks.of(r.body().path("Manufacturer").asText(""), r.body().path("Model").asText(""));
            }
            return r;
        }));
    }

    private CompletableFuture<Void> checked(CompletableFuture<RedfishHttp.Response> f, String what) {
        return f.thenCompose(r -> {
            if (r.status() == 202) {
                return followTask(r, Instant.now().plus(settings.taskTimeout()), what);
            }
            if (!r.ok()) {
                throw new BmcException("refused", "Redfish " + http.base() + " refused " + what + ": " + r.describe());
            }
            return CompletableFuture.completedFuture(null);
        });
    }

    /** The ETags to try, in order: as read (or the strong form first for vendors that want it), then the other form. */
    private List<String> etags(RedfishHttp.Response s) {
        String e = s.etag().orElse(s.body().path("@odata.etag").asText(null));
        List<String> out = new ArrayList<>();
        if (e == null) {
            return out;
        }
        String strong = e.startsWith("W/") ? e.substring(2) : e;
        String weak = e.startsWith("W/") ? e : "W/" + e;
        if (quirks.strongEtagFirst()) {
            out.add(strong);
            out.add(weak);
        } else {
            out.add(e);
            out.add(e.equals(strong) ? weak : strong);
        }
        return out;
    }

    private static PowerState parsePower(JsonNode system) {
        String p = system.path("PowerState").asText("");
        return p.equals("On") || p.equals("PoweringOff") ? PowerState.ON : PowerState.OFF;
    }

    private static List<String> allowed(JsonNode values) {
        List<String> out = new ArrayList<>();
        if (!values.isArray()) {
            // No list: a BMC that does not say is taken to have the common ones.
            return List.of("On", "ForceOff", "GracefulShutdown", "GracefulRestart", "ForceRestart", "PowerCycle", "ForceOn",
                    "PushPowerButton");
        }
        values.forEach(v -> out.add(v.asText()));
        return out;
    }

    private String pick(List<String> allowed, PowerAction action, String... preferred) {
        String type = first(allowed, preferred);
        if (type == null) {
            throw new BmcException("unsupported", "Redfish " + http.base() + ": no ResetType for " + action.wire() + " among " + allowed);
        }
        return type;
    }

    private static String first(List<String> allowed, String... preferred) {
        for (String p : preferred) {
            if (allowed.contains(p)) {
                return p;
            }
        }
        return null;
    }

    private static String redfishTarget(BootTarget.Device d) {
        return switch (d) {
            case PXE -> "Pxe";
            case DISK -> "Hdd";
            case BIOS_SETUP -> "BiosSetup";
            case CD -> "Cd";
            case NONE -> "None";
        };
    }

    private static boolean mentions(RedfishHttp.Response r, String word) {
        return r.body().toString().contains(word);
    }

    private CompletableFuture<Void> later(long millis) {
        Executor e = r -> timer.schedule(r, millis, TimeUnit.MILLISECONDS);
        return CompletableFuture.runAsync(() -> { }, e);
    }
}

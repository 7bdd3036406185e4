package io.pxewings.bmc.ipmi;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;

import io.pxewings.bmc.bmc.Bmc;
import io.pxewings.bmc.bmc.BmcException;
import io.pxewings.bmc.bmc.BmcHealth;
import io.pxewings.bmc.bmc.BootTarget;
import io.pxewings.bmc.bmc.PowerAction;
import io.pxewings.bmc.bmc.PowerState;
import io.pxewings.bmc.codec.BootFlags;
import io.pxewings.bmc.codec.ChassisControl;
import io.pxewings.bmc.codec.ChassisStatus;
import io.pxewings.bmc.codec.Commands;
import io.pxewings.bmc.codec.CompletionCode;
import io.pxewings.bmc.codec.DeviceId;
import io.pxewings.bmc.codec.MalformedIpmiException;
import io.pxewings.bmc.codec.SelInfo;

/**
 * A BMC over IPMI v2.0 LAN: chassis power (§28.2, §28.3) and boot flags (§28.12, §28.13) in one
 * reused {@link IpmiSession}.
 *
 * <p>Two answers that are not failures: completion code CFh to a control request means the BMC
 * already carried out the copy whose answer was lost (§5.2); and a power cycle refused with D5h
 * ("not supported in present state", what many BMCs say when the machine is off, as ipmitool users
 * learn) becomes a power on when the machine is indeed off.
 */
public final class IpmiBmc implements Bmc {

    private static final int DUPLICATE = 0xcf;
    private static final int NOT_IN_PRESENT_STATE = 0xd5;

    private final IpmiSession session;

    public IpmiBmc(IpmiSession session) {
        this.session = session;
    }

    @Override
    public CompletableFuture<PowerState> powerState() {
        return mapped(session.executeOk(Commands.getChassisStatus(), true)
                .thenApply(d -> read(() -> ChassisStatus.decode(d)).powerOn() ? PowerState.ON : PowerState.OFF));
    }

    @Override
    public CompletableFuture<Void> power(PowerAction action) {
        ChassisControl control = switch (action) {
            case ON -> ChassisControl.POWER_ON;
            case OFF -> ChassisControl.POWER_OFF;
            case CYCLE -> ChassisControl.POWER_CYCLE;
            case HARD_RESET -> ChassisControl.HARD_RESET;
            case SOFT_OFF -> ChassisControl.SOFT_OFF;
        };
        return mapped(session.execute(Commands.chassisControl(control), false).thenCompose(r -> {
            int cc = r.completionCode();
            if (cc == CompletionCode.OK || cc == DUPLICATE) {
                return CompletableFuture.<Void>completedFuture(null);
            }
            if (action == PowerAction.CYCLE && cc == NOT_IN_PRESENT_STATE) {
                return powerState().thenCompose(s -> s == PowerState.OFF ? power(PowerAction.ON)
                        : CompletableFuture.failedFuture(refused("power cycle", cc)));
            }
            return CompletableFuture.failedFuture(refused("power " + action.wire(), cc));
        }));
    }

    @Override
    public CompletableFuture<Void> bootDevice(BootTarget target) {
        BootFlags flags = target.device() == BootTarget.Device.NONE
                ? new BootFlags(false, false, false, BootFlags.BootDevice.NONE)
                : new BootFlags(true, target.persistent(), target.efi(), switch (target.device()) {
                    case PXE -> BootFlags.BootDevice.PXE;
                    case DISK -> BootFlags.BootDevice.DISK;
                    case BIOS_SETUP -> BootFlags.BootDevice.BIOS_SETUP;
                    case CD -> BootFlags.BootDevice.CDROM;
                    case NONE -> BootFlags.BootDevice.NONE;
                });
        // Parameter 3 first: without it a BMC clears the flags 60 s later if no power command came.
        return mapped(session.execute(Commands.keepBootFlagsPast60Seconds(), false)
                .thenCompose(r -> session.execute(Commands.setBootFlags(flags), false))
                .thenAccept(r -> {
                    if (r.completionCode() != CompletionCode.OK && r.completionCode() != DUPLICATE) {
                        throw refused("set boot device " + target.device().wire(), r.completionCode());
                    }
                }));
    }

    @Override
    public CompletableFuture<BootTarget> bootDeviceNow() {
        return mapped(session.executeOk(Commands.getBootFlags(), true).thenApply(d -> {
            BootFlags f = read(() -> BootFlags.decode(d));
            // The device selector, valid bit or not: OpenIPMI's ipmi_sim answers without the valid
            // bit it was sent, and a cleared override also has its selector cleared (none).
            BootTarget.Device device = switch (f.device()) {
                case PXE -> BootTarget.Device.PXE;
                case DISK -> BootTarget.Device.DISK;
                case BIOS_SETUP -> BootTarget.Device.BIOS_SETUP;
                case CDROM -> BootTarget.Device.CD;
                default -> BootTarget.Device.NONE;
            };
            return new BootTarget(device, f.persistent(), f.efi());
        }));
    }

    @Override
    public CompletableFuture<Void> insertMedia(String imageUrl) {
        return unsupported("virtual media");
    }

    @Override
    public CompletableFuture<Void> ejectMedia() {
        return unsupported("virtual media");
    }

    @Override
    public CompletableFuture<BmcHealth> health() {
        return mapped(session.executeOk(Commands.getDeviceId(), true).thenCompose(d -> {
            DeviceId id = read(() -> DeviceId.decode(d));
            return session.executeOk(Commands.getSelInfo(), true).handle((s, e) -> {
                SelInfo sel = e == null ? read(() -> SelInfo.decode(s)) : null;
                String detail = "IPMI " + id.ipmiVersion() + ", " + session.suite()
                        + (sel == null ? ", SEL unreadable" : ", SEL " + sel.entries() + " entries, " + sel.freeBytes() + " bytes free"
                        + (sel.overflow() ? ", OVERFLOW" : ""));
                return new BmcHealth("ipmi", "IANA " + id.manufacturer(), "product " + id.product(), id.firmware(), detail,
                        sel == null || !sel.overflow());
            });
        }));
    }

    @Override
    public void close() {
        session.close();
    }

    private static <T> CompletableFuture<T> unsupported(String what) {
        return CompletableFuture.failedFuture(new BmcException("unsupported", what + " needs a Redfish BMC; IPMI has none"));
    }

    private BmcException refused(String what, int cc) {
        return new BmcException("refused", "BMC " + session.bmc() + " refused " + what + ": " + CompletionCode.describe(cc));
    }

    interface Decoder<T> {
        T decode() throws MalformedIpmiException;
    }

    private <T> T read(Decoder<T> d) {
        try {
            return d.decode();
        } catch (MalformedIpmiException e) {
            throw new BmcException("bad-answer", "BMC " + session.bmc() + ": " + e.getMessage());
        }
    }

    /** IPMI failures as BMC failures: the same reasons the breaker and the facts use for Redfish. */
    static <T> CompletableFuture<T> mapped(CompletableFuture<T> f) {
        return f.handle((v, e) -> {
            if (e == null) {
                return v;
            }
            Throwable c = IpmiSession.unwrap(e);
            if (c instanceof BmcException b) {
                throw b;
            }
            if (c instanceof IpmiException i) {
                String reason = switch (i.reason()) {
                    case "timeout", "suite-timeout" -> "unreachable";
                    case "auth-failed" -> "auth-failed";
                    case "completion-code" -> "refused";
                    case "suite-refused", "suite-mismatch", "no-ipmi20" -> "unsupported";
                    default -> i.reason();
                };
                throw new BmcException(reason, i.getMessage());
            }
            throw c instanceof RuntimeException r ? r : new CompletionException(c);
        });
    }
}

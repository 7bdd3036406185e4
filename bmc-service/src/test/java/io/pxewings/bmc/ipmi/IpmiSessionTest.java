package io.pxewings.bmc.ipmi;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import io.pxewings.bmc.codec.BootFlags;
import io.pxewings.bmc.codec.ChassisControl;
import io.pxewings.bmc.codec.ChassisStatus;
import io.pxewings.bmc.codec.CipherSuite;
import io.pxewings.bmc.codec.Commands;
import io.pxewings.bmc.codec.DeviceId;
import io.pxewings.bmc.codec.SelInfo;

/**
 * The session client against a real BMC, OpenIPMI's ipmi_sim, cross-checked with ipmitool: it
 * falls back from suite 17 (which ipmi_sim drops) to 3, powers the machine and sets its boot
 * device, refuses a wrong password, and reports a BMC that died as a timeout.
 */
class IpmiSessionTest {

    static final Path WORK = Path.of(System.getProperty("wings.test.work", "target/wings-test")).resolve("ipmi-session");
    static IpmiSimBmc bmc;
    static UdpTransport transport;
    static ScheduledExecutorService timer;
    static final Map<String, AtomicInteger> malformed = new ConcurrentHashMap<>();
    static final AtomicInteger resent = new AtomicInteger();

    @BeforeAll
    static void start() throws Exception {
        bmc = new IpmiSimBmc(WORK.resolve("bmc")).start();
        transport = new UdpTransport(new InetSocketAddress("127.0.0.1", 0));
        timer = Executors.newSingleThreadScheduledExecutor();
    }

    @AfterAll
    static void stop() throws Exception {
        bmc.close();
        transport.close();
        timer.shutdownNow();
    }

    static IpmiSession session(InetSocketAddress at, String password) {
        IpmiSession.Settings settings = new IpmiSession.Settings(List.of(CipherSuite.SUITE_17, CipherSuite.SUITE_3),
                Commands.PRIVILEGE_ADMINISTRATOR, Duration.ofMillis(300), 3, Duration.ofSeconds(20), Duration.ofMinutes(2));
        return new IpmiSession(at, new IpmiCredentials(IpmiSimBmc.USER, password.getBytes(), null), settings, transport, timer,
                new IpmiSession.Listener() {
                    @Override
                    public void malformed(String reason) {
                        malformed.computeIfAbsent(reason, r -> new AtomicInteger()).incrementAndGet();
                    }

                    @Override
                    public void resent() {
                        resent.incrementAndGet();
                    }
                });
    }

    @Test
    void powersTheMachineAndSetsItsBootDeviceInOneReusedSession() throws Exception {
        try (IpmiSession s = session(bmc.address(), IpmiSimBmc.PASSWORD)) {
            int resentBefore = resent.get();
            DeviceId id = DeviceId.decode(s.executeOk(Commands.getDeviceId(), true).get(10, TimeUnit.SECONDS));
            assertThat(s.suite()).as("ipmi_sim has no suite 17: the session uses 3").isEqualTo(CipherSuite.SUITE_3);
            assertThat(resent.get() - resentBefore).as("suite 17 never tried (and timed out): ipmi_sim's cipher suite list "
                    + "(Get Channel Cipher Suites) does not name it").isZero();
            assertThat(id.manufacturer()).isEqualTo(0x1291 & 0xfffff);

            s.executeOk(Commands.chassisControl(ChassisControl.POWER_ON), false).get(10, TimeUnit.SECONDS);
            assertThat(ChassisStatus.decode(s.executeOk(Commands.getChassisStatus(), true).get(10, TimeUnit.SECONDS)).powerOn()).isTrue();
            assertThat(bmc.ipmitool("-C", "3", "chassis", "power", "status")).contains("Chassis Power is on");

            s.executeOk(Commands.keepBootFlagsPast60Seconds(), false).get(10, TimeUnit.SECONDS);
            s.executeOk(Commands.setBootFlags(new BootFlags(true, false, false, BootFlags.BootDevice.PXE)), false).get(10, TimeUnit.SECONDS);
            assertThat(bmc.history()).contains("boot pxe");
            assertThat(bmc.ipmitool("-C", "3", "chassis", "bootparam", "get", "5")).contains("Force PXE");
            assertThat(BootFlags.decode(s.executeOk(Commands.getBootFlags(), true).get(10, TimeUnit.SECONDS)).device())
                    .as("read back as ipmitool reads it").isEqualTo(BootFlags.BootDevice.PXE);

            s.executeOk(Commands.setBootFlags(new BootFlags(true, false, false, BootFlags.BootDevice.DISK)), false).get(10, TimeUnit.SECONDS);
            assertThat(bmc.history()).contains("boot default");
            s.executeOk(Commands.chassisControl(ChassisControl.POWER_OFF), false).get(10, TimeUnit.SECONDS);
            assertThat(bmc.power()).isEqualTo("0");
            assertThat(bmc.ipmitool("-C", "3", "chassis", "power", "status")).contains("Chassis Power is off");
            SelInfo sel = SelInfo.decode(s.executeOk(Commands.getSelInfo(), true).get(10, TimeUnit.SECONDS));
            assertThat(sel.version()).isEqualTo("1.5");
            assertThat(s.active()).isTrue();
        }
    }

    @Test
    void aWrongPasswordIsRefusedAtRakp2() {
        try (IpmiSession s = session(bmc.address(), "not-the-password")) {
            assertThatThrownBy(() -> s.executeOk(Commands.getDeviceId(), true).get(20, TimeUnit.SECONDS))
                    .isInstanceOf(ExecutionException.class).cause().isInstanceOfSatisfying(IpmiException.class, e -> {
                        assertThat(e.reason()).isEqualTo("auth-failed");
                        assertThat(e.getMessage()).doesNotContain("not-the-password");
                    });
        }
    }

    @Test
    void aBmcThatNobodyAnswersForTimesOut() throws Exception {
        InetSocketAddress nobody;
        try (java.net.DatagramSocket taken = new java.net.DatagramSocket(0, java.net.InetAddress.getLoopbackAddress())) {
            nobody = new InetSocketAddress("127.0.0.1", taken.getLocalPort());
        }
        int before = resent.get();
        try (IpmiSession s = session(nobody, "x")) {
            assertThatThrownBy(() -> s.executeOk(Commands.getChassisStatus(), true).get(20, TimeUnit.SECONDS))
                    .cause().isInstanceOfSatisfying(IpmiException.class, e -> assertThat(e.unreachable()).isTrue());
        }
        assertThat(resent.get() - before).as("resent before giving up").isGreaterThanOrEqualTo(2);
    }
}

package io.pxewings.bmc.ipmi;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import io.pxewings.bmc.bmc.BmcException;
import io.pxewings.bmc.bmc.BootTarget;
import io.pxewings.bmc.bmc.PowerAction;
import io.pxewings.bmc.bmc.PowerState;
import io.pxewings.bmc.codec.CipherSuite;
import io.pxewings.bmc.codec.Commands;
import io.pxewings.bmc.sim.IpmiSimulator;

/**
 * IpmiBmc over suite 17, against the project's simulator (itself checked with ipmitool and
 * ipmipower in IpmiSimulatorTest): what no Debian BMC can show, lost answers, a refused cycle,
 * sessions reused and closed.
 */
class IpmiBmcTest {

    static IpmiSimulator sim;
    static UdpTransport transport;
    static ScheduledExecutorService timer;

    @BeforeAll
    static void start() throws Exception {
        sim = new IpmiSimulator().start();
        transport = new UdpTransport(new InetSocketAddress("127.0.0.1", 0));
        timer = Executors.newSingleThreadScheduledExecutor();
    }

    @AfterAll
    static void stop() throws Exception {
        sim.close();
        transport.close();
        timer.shutdownNow();
    }

    static IpmiBmc bmc(IpmiSimulator.Bmc b, String password) {
        IpmiSession.Settings settings = new IpmiSession.Settings(List.of(CipherSuite.SUITE_17, CipherSuite.SUITE_3),
                Commands.PRIVILEGE_ADMINISTRATOR, Duration.ofMillis(200), 4, Duration.ofSeconds(20), Duration.ofMinutes(2));
        return new IpmiBmc(new IpmiSession(b.address(), new IpmiCredentials("admin", password.getBytes(), null), settings, transport,
                timer, new IpmiSession.Listener() { }));
    }

    static <T> T get(java.util.concurrent.CompletableFuture<T> f) throws Exception {
        return f.get(20, TimeUnit.SECONDS);
    }

    @Test
    void powerAndBootDeviceOverSuite17InOneSessionClosedAtTheEnd() throws Exception {
        IpmiSimulator.Bmc b = sim.add("admin", "pw-17", Set.of(17, 3));
        try (IpmiBmc bmc = bmc(b, "pw-17")) {
            assertThat(get(bmc.powerState())).isEqualTo(PowerState.OFF);
            get(bmc.bootDevice(new BootTarget(BootTarget.Device.PXE, false, true)));
            assertThat(get(bmc.bootDeviceNow())).isEqualTo(new BootTarget(BootTarget.Device.PXE, false, true));
            get(bmc.power(PowerAction.ON));
            assertThat(get(bmc.powerState())).isEqualTo(PowerState.ON);
            get(bmc.bootDevice(new BootTarget(BootTarget.Device.DISK, true, true)));
            get(bmc.power(PowerAction.CYCLE));
            get(bmc.power(PowerAction.SOFT_OFF));
            assertThat(get(bmc.powerState())).isEqualTo(PowerState.OFF);
            assertThat(get(bmc.health()).detail()).contains("IPMI 2.0, suite 17");
            assertThat(b.controls()).containsExactly("on", "cycle", "soft");
            assertThat(b.sessionsOpened()).as("one session for everything").isEqualTo(1);
        }
        assertThat(b.sessionsClosed()).as("closed on the BMC at the end").isEqualTo(1);
    }

    @Test
    void aLostAnswerIsResentAndTheBmcDoesNotCycleTwice() throws Exception {
        IpmiSimulator.Bmc b = sim.add("admin", "pw", Set.of(17));
        try (IpmiBmc bmc = bmc(b, "pw")) {
            get(bmc.powerState());   // session open
            b.powerOn(true);
            b.dropAnswers(1);        // the cycle is carried out; its answer is lost
            get(bmc.power(PowerAction.CYCLE));
            assertThat(b.controls()).as("the resent copy was answered 'duplicate', not cycled again").containsExactly("cycle");
            b.dropNext(2);           // two requests lost on the way in
            assertThat(get(bmc.powerState())).isEqualTo(PowerState.ON);
        }
    }

    @Test
    void aCycleOfAMachineThatIsOffPowersItOn() throws Exception {
        IpmiSimulator.Bmc b = sim.add("admin", "pw", Set.of(17));
        b.refuseCycleWhenOff(true);
        try (IpmiBmc bmc = bmc(b, "pw")) {
            get(bmc.power(PowerAction.CYCLE));
            assertThat(b.controls()).containsExactly("on");
            assertThat(b.powerOn()).isTrue();
        }
    }

    @Test
    void aBmcThatStopsAnsweringIsUnreachableAndAWrongPasswordIsAuthFailed() throws Exception {
        IpmiSimulator.Bmc b = sim.add("admin", "pw", Set.of(17));
        try (IpmiBmc bmc = bmc(b, "pw")) {
            get(bmc.powerState());
            b.silent(true);
            assertThatThrownBy(() -> get(bmc.power(PowerAction.ON))).cause()
                    .isInstanceOfSatisfying(BmcException.class, e -> assertThat(e.unreachable()).isTrue());
            b.silent(false);
            assertThat(get(bmc.powerState())).as("a new session once it answers again").isEqualTo(PowerState.OFF);
            assertThat(b.sessionsOpened()).isEqualTo(2);
        }
        try (IpmiBmc wrong = bmc(b, "not-pw")) {
            assertThatThrownBy(() -> get(wrong.powerState())).cause()
                    .isInstanceOfSatisfying(BmcException.class, e -> assertThat(e.reason()).isEqualTo("auth-failed"));
        }
    }

    @Test
    void aSuite3OnlyBmcIsRefusedSuite17AndGetsSuite3() throws Exception {
        IpmiSimulator.Bmc b = sim.add("admin", "pw", Set.of(3));
        try (IpmiBmc bmc = bmc(b, "pw")) {
            assertThat(get(bmc.health()).detail()).contains("suite 3");
        }
    }
}

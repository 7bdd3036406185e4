package io.pxewings.bmc.sim;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import io.pxewings.bmc.codec.BootFlags;

/**
 * The project's BMC simulator is only worth its tests if clients no one here wrote agree with
 * it: ipmitool (suites 17 and 3) and freeipmi's ipmipower (suite 17) log in, read and change its
 * power, and ipmitool sets its boot device. It has to exist because ipmi_sim stops at suite 14.
 */
class IpmiSimulatorTest {

    static final Path WORK = Path.of(System.getProperty("wings.test.work", "target/wings-test")).resolve("ipmi-simulator");
    static IpmiSimulator sim;
    static IpmiSimulator.Bmc bmc;

    @BeforeAll
    static void start() throws Exception {
        Files.createDirectories(WORK);
        sim = new IpmiSimulator();
        bmc = sim.add("admin", "sim-secret", Set.of(17, 3));
        sim.start();
    }

    @AfterAll
    static void stop() throws Exception {
        sim.close();
    }

    @Test
    void ipmitoolSpeaksSuite17And3WithIt() throws Exception {
        assertThat(ipmitool("17", "chassis", "power", "status")).contains("Chassis Power is off");
        assertThat(ipmitool("17", "chassis", "power", "on")).contains("Chassis Power Control: Up/On");
        assertThat(bmc.powerOn()).isTrue();
        assertThat(ipmitool("3", "chassis", "power", "status")).contains("Chassis Power is on");
        assertThat(ipmitool("17", "chassis", "bootdev", "pxe", "options=efiboot")).contains("Set Boot Device to pxe");
        assertThat(bmc.bootFlags()).isEqualTo(new BootFlags(true, false, true, BootFlags.BootDevice.PXE));
        assertThat(ipmitool("17", "chassis", "bootparam", "get", "5")).contains("Force PXE");
        assertThat(ipmitool("17", "mc", "info")).contains("IPMI Version              : 2.0");
        assertThat(ipmitool("17", "chassis", "power", "off")).contains("Chassis Power Control: Down/Off");
        assertThat(bmc.powerOn()).isFalse();
        assertThat(bmc.sessionsClosed()).as("ipmitool closes its sessions").isEqualTo(bmc.sessionsOpened());
    }

    @Test
    void freeipmisIpmipowerSpeaksSuite17WithIt() throws Exception {
        bmc.powerOn(true);
        assertThat(ipmipower("--stat")).contains(": on");
        assertThat(ipmipower("--off")).contains(": ok");
        assertThat(bmc.powerOn()).isFalse();
        assertThat(ipmipower("--stat")).contains(": off");
    }

    @Test
    void aWrongPasswordIsRefused() throws Exception {
        assertThat(run(List.of("ipmitool", "-I", "lanplus", "-H", "127.0.0.1", "-p", Integer.toString(bmc.port), "-U", "admin",
                "-P", "wrong", "-C", "17", "-N", "1", "-R", "1", "chassis", "power", "status")))
                .contains("Unable to establish IPMI v2 / RMCP+ session").doesNotContain("Chassis Power is");
    }

    static String ipmitool(String suite, String... args) throws Exception {
        Path pw = WORK.resolve("password");
        Files.writeString(pw, "sim-secret");
        List<String> c = new ArrayList<>(List.of("ipmitool", "-I", "lanplus", "-H", "127.0.0.1", "-p", Integer.toString(bmc.port),
                "-U", "admin", "-f", pw.toString(), "-C", suite, "-N", "1", "-R", "2"));
        c.addAll(List.of(args));
        return run(c);
    }

    static String ipmipower(String action) throws Exception {
        return run(List.of("ipmipower", "-D", "LAN_2_0", "-h", "127.0.0.1:" + bmc.port, "-u", "admin", "-p", "sim-secret",
                "-I", "17", action));
    }

    static String run(List<String> command) throws Exception {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        if (!p.waitFor(30, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new AssertionError(command + " hung");
        }
        return new String(p.getInputStream().readAllBytes());
    }
}

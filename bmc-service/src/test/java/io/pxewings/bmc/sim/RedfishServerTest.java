package io.pxewings.bmc.sim;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The project's Redfish test server is only worth its tests if Redfish clients no one here wrote
 * agree with it: OpenStack's sushy (Ironic's library, Debian python3-sushy) with sessions, and
 * DMTF's redfishtool with basic auth, read and change power and the boot override.
 */
class RedfishServerTest {

    static final Path MOCKUP = RedfishServer.MOCKUP;
    static final Path WORK = Path.of(System.getProperty("wings.test.work", "target/wings-test")).resolve("redfish-server");
    static RedfishServer server;

    @BeforeAll
    static void start() throws Exception {
        Files.createDirectories(WORK);
        server = new RedfishServer(MOCKUP, "root", "rf-secret").start();
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    @Test
    void sushyLogsInResetsSetsTheBootOverrideAndLogsOut() throws Exception {
        String out = python("""
                import sushy
                s = sushy.Sushy('%s/redfish/v1', username='root', password='rf-secret', verify=False)
                system = s.get_system('%s')
                print('power', system.power_state.value)
                system.reset_system(sushy.ResetType.FORCE_OFF)
                system.refresh()
                print('power', system.power_state.value)
                system.set_system_boot_options(target=sushy.BootSource.PXE, enabled=sushy.BootSourceOverrideEnabled.ONCE,
                                               mode=sushy.BootSourceOverrideMode.UEFI)
                system.refresh()
                print('boot', system.boot.target.value, system.boot.enabled.value, system.boot.mode.value)
                """.formatted(server.url(), RedfishServer.SYSTEM));
        assertThat(out).as(out).contains("power On", "power Off");
        assertThat(server.powerState()).isEqualTo("Off");
        assertThat(server.resets()).contains("ForceOff");
        assertThat(out).contains("boot Pxe Once UEFI");
        assertThat(server.boot().path("BootSourceOverrideTarget").asText()).isEqualTo("Pxe");
        assertThat(server.log()).contains("POST /redfish/v1/SessionService/Sessions");
    }

    @Test
    void redfishtoolWithBasicAuthResetsAndSetsTheOverride() throws Exception {
        String host = server.url().substring("http://".length());
        String get = run(List.of("redfishtool", "-r", host, "-S", "Never", "-u", "root", "-p", "rf-secret", "-A", "Basic",
                "Systems", "-I", "437XR1138R2", "get"));
        assertThat(get).contains("\"Manufacturer\": \"Contoso\"");
        run(List.of("redfishtool", "-r", host, "-S", "Never", "-u", "root", "-p", "rf-secret", "-A", "Basic",
                "Systems", "-I", "437XR1138R2", "reset", "On"));
        assertThat(server.powerState()).isEqualTo("On");
        run(List.of("redfishtool", "-r", host, "-S", "Never", "-u", "root", "-p", "rf-secret", "-A", "Basic",
                "Systems", "-I", "437XR1138R2", "setBootOverride", "Continuous", "Hdd"));
        assertThat(server.boot().path("BootSourceOverrideTarget").asText()).isEqualTo("Hdd");
        assertThat(server.boot().path("BootSourceOverrideEnabled").asText()).isEqualTo("Continuous");
        String refused = run(List.of("redfishtool", "-r", host, "-S", "Never", "-u", "root", "-p", "wrong", "-A", "Basic",
                "Systems", "-I", "437XR1138R2", "get"));
        assertThat(refused).doesNotContain("Contoso");
    }

    static String python(String script) throws Exception {
        Path f = WORK.resolve("client.py");
        Files.writeString(f, script);
        // Debian's python3, where python3-sushy is: not a python3 earlier on PATH.
        return run(List.of("/usr/bin/python3", f.toString()));
    }

    static String run(List<String> command) throws Exception {
        Process p = new ProcessBuilder(new ArrayList<>(command)).redirectErrorStream(true).start();
        if (!p.waitFor(60, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new AssertionError(command + " hung");
        }
        return new String(p.getInputStream().readAllBytes());
    }
}

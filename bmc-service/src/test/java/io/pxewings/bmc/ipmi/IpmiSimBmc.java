package io.pxewings.bmc.ipmi;

import java.io.IOException;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A real BMC for tests: OpenIPMI's {@code ipmi_sim} (Debian package openipmi) on 127.0.0.1, with a
 * chassis control script that keeps the machine's power and boot device in files instead of
 * starting a VM (the lab's BMCs start QEMU). Cipher suites 0-14 only (no 17).
 */
public final class IpmiSimBmc implements AutoCloseable {

    public static final String USER = "admin";
    public static final String PASSWORD = "wings-test-pw";

    private final Path dir;
    private final int port;
    private Process process;

    public IpmiSimBmc(Path dir) throws IOException {
        this.dir = Files.createDirectories(dir);
        try (DatagramSocket s = new DatagramSocket(0, InetAddress.getLoopbackAddress())) {
            port = s.getLocalPort();
        }
        Path chassis = dir.resolve("chassis");
        Files.writeString(chassis, """
                #!/bin/bash
                # ipmi_sim's chassis_control: SCRIPT MC get power|boot..., or SCRIPT MC set power 0|1 | boot DEV | reset 1 | shutdown 1
                dir=$(dirname "$0"); op=$2; shift 2
                if [[ $op == get ]]; then
                  for p in "$@"; do
                    case $p in
                      power) echo "power:$(cat "$dir/power" 2>/dev/null || echo 0)" ;;
                      boot) echo "boot:$(cat "$dir/bootdev" 2>/dev/null || echo default)" ;;
                    esac
                  done
                  exit 0
                fi
                while (($# >= 2)); do
                  case $1 in
                    power) echo "$2" >"$dir/power"; echo "power $2" >>"$dir/history" ;;
                    reset) echo "reset" >>"$dir/history" ;;
                    shutdown) echo 0 >"$dir/power"; echo "shutdown" >>"$dir/history" ;;
                    boot) echo "$2" >"$dir/bootdev"; echo "boot $2" >>"$dir/history" ;;
                  esac
                  shift 2
                done
                """);
        Files.setPosixFilePermissions(chassis, PosixFilePermissions.fromString("rwxr-xr-x"));
        Files.writeString(dir.resolve("lan.conf"), """
                name "test"
                set_working_mc 0x20
                  startlan 1
                    addr 127.0.0.1 %d
                    priv_limit admin
                    allowed_auths_callback none md2 md5 straight
                    allowed_auths_user none md2 md5 straight
                    allowed_auths_operator none md2 md5 straight
                    allowed_auths_admin none md2 md5 straight
                    guid a123456789abcdefa123456789abcdef
                  endlan
                  chassis_control "%s 0x20"
                  user 2 true "%s" "%s" admin 10 none md2 md5 straight
                """.formatted(port, chassis, USER, PASSWORD));
        Files.writeString(dir.resolve("bmc.emu"), "mc_setbmc 0x20\nmc_add 0x20 0 no-device-sdrs 0x23 9 8 0x9f 0x1291 0xf02\n"
                + "sel_enable 0x20 1000 0x0a\nmc_enable 0x20\n");
    }

    public InetSocketAddress address() {
        return new InetSocketAddress(InetAddress.getLoopbackAddress(), port);
    }

    public int port() {
        return port;
    }

    public IpmiSimBmc start() throws Exception {
        Files.createDirectories(dir.resolve("state"));
        process = new ProcessBuilder("ipmi_sim", "-c", dir.resolve("lan.conf").toString(), "-f", dir.resolve("bmc.emu").toString(),
                "-s", dir.resolve("state").toString(), "-n").redirectErrorStream(true)
                .redirectOutput(dir.resolve("ipmi_sim.log").toFile()).redirectInput(ProcessBuilder.Redirect.PIPE).start();
        // Ready when it answers ipmitool (the LAN channel starts a moment after the process).
        Instant deadline = Instant.now().plus(Duration.ofSeconds(20));
        while (Instant.now().isBefore(deadline)) {
            if (ipmitool("-C", "3", "mc", "info").contains("Device ID")) {
                return this;
            }
            Thread.sleep(200);
        }
        throw new IllegalStateException("ipmi_sim did not answer on " + address() + ": " + Files.readString(dir.resolve("ipmi_sim.log")));
    }

    /** The real client as a cross-check; the password from a file, never on the command line (ipmitool -f). */
    public String ipmitool(String... args) throws Exception {
        Path pw = dir.resolve("password");
        Files.writeString(pw, PASSWORD);
        List<String> command = new java.util.ArrayList<>(List.of("ipmitool", "-I", "lanplus", "-H", "127.0.0.1", "-p",
                Integer.toString(port), "-U", USER, "-f", pw.toString(), "-N", "1", "-R", "2"));
        command.addAll(List.of(args));
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        if (!p.waitFor(30, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            return "";
        }
        return new String(p.getInputStream().readAllBytes());
    }

    public String power() throws IOException {
        Path f = dir.resolve("power");
        return Files.exists(f) ? Files.readString(f).trim() : "0";
    }

    public List<String> history() throws IOException {
        Path f = dir.resolve("history");
        return Files.exists(f) ? Files.readAllLines(f) : List.of();
    }

    public void kill() throws InterruptedException {
        if (process != null) {
            process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        }
    }

    @Override
    public void close() throws Exception {
        kill();
    }
}

package io.pxewings.suite;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Two network namespaces joined by a veth pair, made for one test and deleted after it: the only
 * place DHCP servers and clients under test may broadcast (the network rule).
 */
final class TestNetwork implements AutoCloseable {

    final String server;
    final String client;
    final String clientIf = "wc0";

    TestNetwork(String prefix, String serverAddress) throws Exception {
        long pid = ProcessHandle.current().pid();
        server = prefix + "-s-" + pid;
        client = prefix + "-c-" + pid;
        close();
        sh("ip netns add " + server);
        sh("ip netns add " + client);
        sh("ip link add ws0 netns " + server + " type veth peer name " + clientIf + " netns " + client);
        sh("ip -n " + server + " link set lo up");
        sh("ip -n " + client + " link set lo up");
        sh("ip -n " + server + " addr add " + serverAddress + " dev ws0");
        sh("ip -n " + server + " link set ws0 up");
        // Limited broadcasts (255.255.255.255) need a route; this one also pins them to ws0.
        sh("ip -n " + server + " route add 255.255.255.255/32 dev ws0");
        sh("ip -n " + client + " link set " + clientIf + " up");
    }

    /** Stops a server started in the network (if any), then deletes the network (if any). */
    static void close(TestNetwork net, Process server) throws Exception {
        if (server != null) {
            server.destroyForcibly().waitFor(10, java.util.concurrent.TimeUnit.SECONDS);
        }
        if (net != null) {
            net.close();
        }
    }

    /** Runs a shell command in the host namespace (to manage namespaces) and fails on a non-zero exit. */
    static Repo.Result sh(String command) throws Exception {
        Repo.Result r = Repo.run(Map.of(), Duration.ofSeconds(60), List.of("sh", "-c", command));
        if (r.exitCode() != 0) {
            throw new AssertionError(command + " exited " + r.exitCode() + ":\n" + r.output());
        }
        return r;
    }

    Repo.Result inClient(Duration timeout, String command) throws Exception {
        return Repo.run(Map.of(), timeout, List.of("ip", "netns", "exec", client, "sh", "-c", command));
    }

    /**
     * Starts a long-running command in the client namespace. The command should {@code exec} its
     * program, so the returned process is the client itself (ip netns exec does not fork) and can
     * be signalled by pid.
     */
    Process startInClient(String command, java.nio.file.Path log) throws Exception {
        return new ProcessBuilder("ip", "netns", "exec", client, "sh", "-c", command).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()))
                .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null"))).start();
    }

    Repo.Result inServer(Duration timeout, String command) throws Exception {
        return Repo.run(Map.of(), timeout, List.of("ip", "netns", "exec", server, "sh", "-c", command));
    }

    /** A command line that runs in the server namespace. */
    List<String> serverCommand(List<String> command) {
        List<String> all = new ArrayList<>(List.of("ip", "netns", "exec", server));
        all.addAll(command);
        return all;
    }

    void setClientMac(String mac) throws Exception {
        sh("ip -n " + client + " link set " + clientIf + " down");
        sh("ip -n " + client + " addr flush dev " + clientIf);
        sh("ip -n " + client + " link set " + clientIf + " address " + mac);
        sh("ip -n " + client + " link set " + clientIf + " up");
    }

    @Override
    public void close() throws Exception {
        Repo.run(Map.of(), Duration.ofSeconds(30), List.of("sh", "-c",
                "ip netns pids " + server + " 2>/dev/null | xargs -r kill -9; ip netns pids " + client
                        + " 2>/dev/null | xargs -r kill -9; ip netns del " + server + " 2>/dev/null; ip netns del "
                        + client + " 2>/dev/null; true"));
    }
}

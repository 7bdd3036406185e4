package io.pxewings.deploy.kafka;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Properties;

import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.utils.Exit;

/**
 * Runs one real Kafka broker in KRaft combined mode (broker and controller in one process) for
 * one-machine use and for tests.
 *
 * <p>Usage: {@code BrokerMain --data DIR --port 19092 --controller-port 19093}. The storage is
 * formatted on first start and kept afterwards. A cluster: the same command per node with
 * {@code --node-id N --voters ... --cluster-id ID --replicas 3} ({@link BrokerOptions}); with three
 * replicas every internal topic has three and accepts a write on two ({@code min.insync.replicas}),
 * so one node may die and nothing acknowledged is lost. The broker exits when its standard input reaches
 * end of file, so a parent that dies (test JVM, launcher) never leaves a broker behind.
 */
public final class BrokerMain {

    private BrokerMain() {
    }

    public static void main(String[] args) throws Exception {
        BrokerOptions options = BrokerOptions.parse(args);
        Files.createDirectories(options.dataDir());
        Path config = options.dataDir().resolve("server.properties");
        writeConfig(options, config);
        formatStorageOnce(options, config);
        if (options.exitOnStdinEof()) {
            watchParent();
        }
        // kafka.Kafka registers its own shutdown hook: System.exit stops the broker cleanly.
        kafka.Kafka.main(new String[] {config.toString()});
    }

    static Properties brokerProperties(BrokerOptions options) {
        Properties p = new Properties();
        String host = options.host();
        p.setProperty("process.roles", "broker,controller");
        p.setProperty("node.id", Integer.toString(options.nodeId()));
        p.setProperty("controller.quorum.voters", options.voters());
        p.setProperty("listeners", "PLAINTEXT://" + host + ":" + options.port()
                + ",CONTROLLER://" + host + ":" + options.controllerPort());
        p.setProperty("advertised.listeners", "PLAINTEXT://" + host + ":" + options.port());
        p.setProperty("controller.listener.names", "CONTROLLER");
        p.setProperty("inter.broker.listener.name", "PLAINTEXT");
        p.setProperty("listener.security.protocol.map", "PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT");
        p.setProperty("log.dirs", options.dataDir().resolve("logs").toString());
        // Internal topics with the cluster's replication: one on one node, three on three, and a
        // write needs two in sync (min.insync.replicas), so acks=all never rests on one disk.
        String replicas = Integer.toString(options.replicas());
        String minIsr = Integer.toString(options.minInSyncReplicas());
        p.setProperty("offsets.topic.replication.factor", replicas);
        p.setProperty("offsets.topic.num.partitions", "8");
        p.setProperty("transaction.state.log.replication.factor", replicas);
        p.setProperty("transaction.state.log.min.isr", minIsr);
        p.setProperty("share.coordinator.state.topic.replication.factor", replicas);
        p.setProperty("share.coordinator.state.topic.min.isr", minIsr);
        p.setProperty("default.replication.factor", replicas);
        p.setProperty("min.insync.replicas", minIsr);
        // A replica that was not in sync never becomes leader: that would drop acknowledged writes.
        p.setProperty("unclean.leader.election.enable", "false");
        // Consumers join at once instead of waiting 3 s for more members.
        p.setProperty("group.initial.rebalance.delay.ms", "0");
        // Topics come from the event catalog, created up front; a typo must not create one.
        p.setProperty("auto.create.topics.enable", "false");
        p.setProperty("num.partitions", "1");
        p.setProperty("log.segment.bytes", String.valueOf(64 * 1024 * 1024));
        return p;
    }

    private static void writeConfig(BrokerOptions options, Path config) throws IOException {
        try (OutputStream out = Files.newOutputStream(config)) {
            brokerProperties(options).store(out, "written by io.pxewings.deploy.kafka.BrokerMain");
        }
    }

    /** Formats the log directory unless a previous start already did (data is kept). */
    private static void formatStorageOnce(BrokerOptions options, Path config) {
        if (Files.exists(options.dataDir().resolve("logs").resolve("meta.properties"))) {
            return;
        }
        String clusterId = options.clusterId() != null ? options.clusterId() : Uuid.randomUuid().toString();
        // StorageTool ends with Exit.exit: turn that into a return value instead of a JVM exit.
        Exit.setExitProcedure((code, message) -> {
            throw new StorageFormatExit(code, message);
        });
        try {
            kafka.tools.StorageTool.main(new String[] {"format", "-t", clusterId, "-c", config.toString(),
                "--ignore-formatted"});
        } catch (StorageFormatExit exit) {
            if (exit.code != 0) {
                throw new IllegalStateException("formatting Kafka storage failed (" + exit.code + "): " + exit.getMessage());
            }
        } finally {
            Exit.resetExitProcedure();
        }
    }

    /** Exits when standard input closes: the parent process has gone. */
    private static void watchParent() {
        Thread watcher = new Thread(() -> {
            try {
                InputStream in = System.in;
                byte[] buffer = new byte[64];
                while (in.read(buffer) >= 0) {
                    // keep draining until EOF
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            } finally {
                System.err.println("[wings-broker] standard input closed: shutting down");
                System.exit(0);
            }
        }, "parent-watch");
        watcher.setDaemon(true);
        watcher.start();
    }

    private static final class StorageFormatExit extends RuntimeException {
        private final int code;

        StorageFormatExit(int code, String message) {
            super(message, null, false, false);
            this.code = code;
        }
    }
}

package io.pxewings.deploy.infra;

import java.time.Duration;
import java.util.List;

/**
 * Creates the catalog's topics on a broker, waiting for it to answer first.
 * Usage: {@code TopicsMain --bootstrap HOST:PORT [--timeout SECONDS] [--replication N]}.
 * Exits non-zero with the reason when the broker does not answer in time.
 * {@code TopicsMain --print-commands [--replication N]} prints the {@code kafka-topics.sh}
 * commands that create the same topics, and touches no broker.
 */
public final class TopicsMain {

    private TopicsMain() {
    }

    public static void main(String[] args) throws Exception {
        String bootstrap = "127.0.0.1:19092";
        int timeout = 60;
        short replication = 1;
        boolean print = false;
        for (int i = 0; i < args.length; i += 2) {
            if (args[i].equals("--print-commands")) {
                print = true;
                i--;
                continue;
            }
            if (i + 1 >= args.length) {
                throw new IllegalArgumentException(args[i] + " needs a value");
            }
            switch (args[i]) {
                case "--bootstrap" -> bootstrap = args[i + 1];
                case "--timeout" -> timeout = Integer.parseInt(args[i + 1]);
                case "--replication" -> replication = Short.parseShort(args[i + 1]);
                default -> throw new IllegalArgumentException("unknown option " + args[i]);
            }
        }
        if (print) {
            for (io.pxewings.events.catalog.TopicSpec spec : io.pxewings.events.EventCatalog.topics()) {
                System.out.println(TopicProvisioner.kafkaTopicsCommand(spec, replication));
            }
            return;
        }
        try {
            List<String> created = TopicProvisioner.ensureTopics(bootstrap, replication, Duration.ofSeconds(timeout));
            System.out.println("[wings-topics] " + (created.isEmpty() ? "all topics present" : "created " + created));
        } catch (IllegalStateException e) {
            System.err.println("[wings-topics] " + e.getMessage());
            System.exit(1);
        }
    }
}

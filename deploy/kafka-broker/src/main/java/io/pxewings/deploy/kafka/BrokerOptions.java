package io.pxewings.deploy.kafka;

import java.nio.file.Path;

/**
 * Command-line options of {@link BrokerMain}; unknown or missing values fail with the flag's name.
 *
 * <p>One node by default. A cluster is N such processes started with the same {@code --voters}
 * ({@code 1@127.0.0.1:19093,2@127.0.0.1:19095,...}, every node's controller address) and the same
 * {@code --cluster-id}, each with its own {@code --node-id}; {@code --replicas} is the replication
 * factor of the internal topics and of topics created without one.
 */
record BrokerOptions(Path dataDir, String host, int port, int controllerPort, boolean exitOnStdinEof,
        int nodeId, String voters, String clusterId, int replicas) {

    static BrokerOptions parse(String[] args) {
        Path data = null;
        String host = "127.0.0.1";
        int port = 19092;
        int controllerPort = 19093;
        boolean exitOnEof = false;
        int nodeId = 1;
        String voters = null;
        String clusterId = null;
        int replicas = 1;
        for (int i = 0; i < args.length; i++) {
            String flag = args[i];
            switch (flag) {
                case "--data" -> data = Path.of(value(args, ++i, flag));
                case "--host" -> host = value(args, ++i, flag);
                case "--port" -> port = port(value(args, ++i, flag), flag);
                case "--controller-port" -> controllerPort = port(value(args, ++i, flag), flag);
                case "--exit-on-stdin-eof" -> exitOnEof = true;
                case "--node-id" -> nodeId = positive(value(args, ++i, flag), flag);
                case "--voters" -> voters = value(args, ++i, flag);
                case "--cluster-id" -> clusterId = value(args, ++i, flag);
                case "--replicas" -> replicas = positive(value(args, ++i, flag), flag);
                default -> throw new IllegalArgumentException("unknown option " + flag);
            }
        }
        if (data == null) {
            throw new IllegalArgumentException("--data DIR is required");
        }
        if (voters == null) {
            voters = nodeId + "@" + host + ":" + controllerPort;
        }
        int nodes = voters.split(",").length;
        if (!voters.matches("\\d+@[^,@:]+:\\d+(,\\d+@[^,@:]+:\\d+)*")) {
            throw new IllegalArgumentException("--voters must be ID@HOST:PORT[,ID@HOST:PORT...], was " + voters);
        }
        if (!(("," + voters).contains("," + nodeId + "@" + host + ":" + controllerPort))) {
            throw new IllegalArgumentException("--voters " + voters + " does not name this node (" + nodeId + "@" + host + ":"
                    + controllerPort + ")");
        }
        if (replicas > nodes) {
            throw new IllegalArgumentException("--replicas " + replicas + " is more than the " + nodes + " node(s) of --voters");
        }
        if (nodes > 1 && clusterId == null) {
            throw new IllegalArgumentException("a cluster of " + nodes + " nodes needs --cluster-id, the same on every node");
        }
        return new BrokerOptions(data.toAbsolutePath(), host, port, controllerPort, exitOnEof, nodeId, voters, clusterId, replicas);
    }

    /** Acknowledged writes survive one node's loss with three replicas: two in sync, or the write is refused. */
    int minInSyncReplicas() {
        return Math.min(2, replicas);
    }

    private static int positive(String text, String flag) {
        try {
            int n = Integer.parseInt(text);
            if (n < 1) {
                throw new IllegalArgumentException(flag + " must be at least 1, was " + text);
            }
            return n;
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(flag + " must be a number, was " + text, e);
        }
    }

    private static String value(String[] args, int i, String flag) {
        if (i >= args.length) {
            throw new IllegalArgumentException(flag + " needs a value");
        }
        return args[i];
    }

    private static int port(String text, String flag) {
        try {
            int p = Integer.parseInt(text);
            if (p < 1 || p > 65535) {
                throw new IllegalArgumentException(flag + " must be 1-65535, was " + text);
            }
            return p;
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(flag + " must be a port number, was " + text, e);
        }
    }
}

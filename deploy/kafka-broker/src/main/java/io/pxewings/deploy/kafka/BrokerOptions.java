package io.pxewings.deploy.kafka;

import java.nio.file.Path;

/** Command-line options of {@link BrokerMain}; unknown or missing values fail with the flag's name. */
record BrokerOptions(Path dataDir, String host, int port, int controllerPort, boolean exitOnStdinEof) {

    static BrokerOptions parse(String[] args) {
        Path data = null;
        String host = "127.0.0.1";
        int port = 19092;
        int controllerPort = 19093;
        boolean exitOnEof = false;
        for (int i = 0; i < args.length; i++) {
            String flag = args[i];
            switch (flag) {
                case "--data" -> data = Path.of(value(args, ++i, flag));
                case "--host" -> host = value(args, ++i, flag);
                case "--port" -> port = port(value(args, ++i, flag), flag);
                case "--controller-port" -> controllerPort = port(value(args, ++i, flag), flag);
                case "--exit-on-stdin-eof" -> exitOnEof = true;
                default -> throw new IllegalArgumentException("unknown option " + flag);
            }
        }
        if (data == null) {
            throw new IllegalArgumentException("--data DIR is required");
        }
        return new BrokerOptions(data.toAbsolutePath(), host, port, controllerPort, exitOnEof);
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

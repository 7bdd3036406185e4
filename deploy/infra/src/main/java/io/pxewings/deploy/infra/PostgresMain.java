package io.pxewings.deploy.infra;

import java.nio.file.Path;
import java.util.concurrent.CountDownLatch;

/**
 * Runs the embedded PostgreSQL for {@code ./wings up} until the process is told to stop (SIGTERM),
 * then shuts the server down cleanly. Usage: {@code PostgresMain --data DIR --binaries DIR --port N}.
 */
public final class PostgresMain {

    private PostgresMain() {
    }

    public static void main(String[] args) throws Exception {
        Path data = null;
        Path binaries = null;
        int port = 15432;
        for (int i = 0; i < args.length; i += 2) {
            if (i + 1 >= args.length) {
                throw new IllegalArgumentException(args[i] + " needs a value");
            }
            switch (args[i]) {
                case "--data" -> data = Path.of(args[i + 1]).toAbsolutePath();
                case "--binaries" -> binaries = Path.of(args[i + 1]).toAbsolutePath();
                case "--port" -> port = Integer.parseInt(args[i + 1]);
                default -> throw new IllegalArgumentException("unknown option " + args[i]);
            }
        }
        if (data == null || binaries == null) {
            throw new IllegalArgumentException("usage: PostgresMain --data DIR --binaries DIR [--port N]");
        }
        PostgresServer server = PostgresServer.start(data, binaries, port);
        server.ensureDatabases(ServiceDatabases.NAMES);
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            try {
                server.close();
            } catch (Exception e) {
                System.err.println("[wings-postgres] stop failed: " + e);
            } finally {
                stopped.countDown();
            }
        }, "postgres-stop"));
        System.out.println("[wings-postgres] ready on 127.0.0.1:" + server.port() + ", databases "
                + ServiceDatabases.NAMES);
        stopped.await();
    }
}

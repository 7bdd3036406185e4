package io.pxewings.deploy.infra;

import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The KRaft broker from {@code deploy/kafka-broker} started as its own JVM, with the classpath that
 * module resolved at build time and packed next to its main class. The broker exits when this
 * process's pipe to its standard input closes, so it never outlives the JVM that started it.
 */
public final class BrokerProcess implements AutoCloseable {

    public static final String MAIN = "io.pxewings.deploy.kafka.BrokerMain";
    static final String CLASSPATH_RESOURCE = "io/pxewings/deploy/kafka/broker-classpath.txt";

    private final Process process;
    private final int port;

    private BrokerProcess(Process process, int port) {
        this.process = process;
        this.port = port;
    }

    public static BrokerProcess start(Path dataDir, int port, int controllerPort, Path logFile) throws IOException {
        return start(dataDir, port, controllerPort, logFile, List.of());
    }

    /** @param clusterArgs a cluster node's flags ({@code --node-id}, {@code --voters}, ...), or none */
    public static BrokerProcess start(Path dataDir, int port, int controllerPort, Path logFile, List<String> clusterArgs)
            throws IOException {
        Files.createDirectories(dataDir);
        Files.createDirectories(logFile.getParent());
        List<String> command = new java.util.ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx384m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1",
                "-Djava.io.tmpdir=" + dataDir,
                "-cp", brokerClasspath(), MAIN,
                "--data", dataDir.toString(), "--port", Integer.toString(port),
                "--controller-port", Integer.toString(controllerPort), "--exit-on-stdin-eof"));
        command.addAll(clusterArgs);
        Process p = new ProcessBuilder(command)
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(logFile.toFile()))
                .start();
        return new BrokerProcess(p, port);
    }

    public String bootstrap() {
        return "127.0.0.1:" + port;
    }

    public boolean isAlive() {
        return process.isAlive();
    }

    /** kill -9: the node dies as a crashed machine's would, without a controlled shutdown. */
    public void kill() throws InterruptedException {
        process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
    }

    @Override
    public void close() {
        try {
            process.getOutputStream().close();
            if (!process.waitFor(15, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
            }
        } catch (IOException e) {
            process.destroyForcibly();
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
    }

    /** The broker module's own location (jar or classes folder) followed by its dependencies. */
    static String brokerClasspath() throws IOException {
        ClassLoader loader = BrokerProcess.class.getClassLoader();
        URL mainClass = loader.getResource(MAIN.replace('.', '/') + ".class");
        if (mainClass == null) {
            throw new IllegalStateException(MAIN + " is not on the classpath: build deploy/kafka-broker first");
        }
        String dependencies;
        try (InputStream in = loader.getResourceAsStream(CLASSPATH_RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException(CLASSPATH_RESOURCE + " is missing: rebuild deploy/kafka-broker");
            }
            dependencies = new String(in.readAllBytes(), StandardCharsets.UTF_8).strip();
        }
        return codeLocation(mainClass) + File.pathSeparator + dependencies;
    }

    /** {@code jar:file:/x/kafka-broker.jar!/io/...} or {@code file:/x/classes/io/...} to the jar or folder. */
    static Path codeLocation(URL classUrl) {
        String url = classUrl.toString();
        try {
            if (url.startsWith("jar:")) {
                return Path.of(new java.net.URI(url.substring(4, url.indexOf("!/"))));
            }
            Path path = Path.of(classUrl.toURI());
            for (int i = MAIN.split("\\.").length; i > 0; i--) {
                path = path.getParent();
            }
            return path;
        } catch (URISyntaxException e) {
            throw new IllegalStateException("unexpected broker class location " + url, e);
        }
    }
}

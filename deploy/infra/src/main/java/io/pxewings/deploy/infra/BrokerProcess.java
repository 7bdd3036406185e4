package io.pxewings.deploy.infra;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The KRaft broker from {@code deploy/kafka-broker} started as its own JVM with the classpath that
 * module resolved at build time. The broker exits when this process's pipe to its standard input
 * closes, so it never outlives the JVM that started it.
 */
public final class BrokerProcess implements AutoCloseable {

    public static final String MAIN = "io.pxewings.deploy.kafka.BrokerMain";

    private final Process process;
    private final int port;

    private BrokerProcess(Process process, int port) {
        this.process = process;
        this.port = port;
    }

    public static BrokerProcess start(Path dataDir, int port, int controllerPort, Path logFile) throws IOException {
        Files.createDirectories(dataDir);
        Files.createDirectories(logFile.getParent());
        Path brokerTarget = brokerTargetDirectory();
        String classpath = brokerJar(brokerTarget) + java.io.File.pathSeparator
                + Files.readString(brokerTarget.resolve("broker-classpath.txt")).strip();
        List<String> command = List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx384m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1",
                "-Djava.io.tmpdir=" + dataDir,
                "-cp", classpath, MAIN,
                "--data", dataDir.toString(), "--port", Integer.toString(port),
                "--controller-port", Integer.toString(controllerPort), "--exit-on-stdin-eof");
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

    /**
     * Finds {@code deploy/kafka-broker/target}: where the broker's main class was loaded from
     * (its jar or its classes folder; both sit in that target directory).
     */
    static Path brokerTargetDirectory() {
        URL url = BrokerProcess.class.getClassLoader().getResource(MAIN.replace('.', '/') + ".class");
        if (url == null) {
            throw new IllegalStateException(MAIN + " is not on the classpath: build deploy/kafka-broker first");
        }
        try {
            String location = url.toString();
            if (location.startsWith("jar:")) {
                location = location.substring(4, location.indexOf("!/"));
                return Path.of(new java.net.URI(location)).getParent();
            }
            Path classFile = Path.of(url.toURI());
            Path dir = classFile;
            while (dir != null && !dir.getFileName().toString().equals("classes")) {
                dir = dir.getParent();
            }
            if (dir == null) {
                throw new IllegalStateException("unexpected broker class location " + url);
            }
            return dir.getParent();
        } catch (URISyntaxException e) {
            throw new IllegalStateException("unexpected broker class location " + url, e);
        }
    }

    private static String brokerJar(Path target) {
        Path jar = target.resolve("kafka-broker.jar");
        if (Files.exists(jar)) {
            return jar.toString();
        }
        Path classes = target.resolve("classes");
        if (Files.isDirectory(classes)) {
            return classes.toString();
        }
        throw new UncheckedIOException(new IOException("no kafka-broker.jar or classes in " + target));
    }
}

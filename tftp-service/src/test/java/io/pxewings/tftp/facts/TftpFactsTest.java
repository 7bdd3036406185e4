package io.pxewings.tftp.facts;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

import io.pxewings.common.edge.LeaseAddresses;
import io.pxewings.events.EventTypes;
import io.pxewings.events.Topics;
import io.pxewings.events.codec.Traceparent;
import io.pxewings.events.codec.WingsEvent;
import io.pxewings.events.dhcp.LeaseChanged;
import io.pxewings.events.tftp.TransferCompleted;
import io.pxewings.events.tftp.TransferFailed;
import io.pxewings.events.tftp.TransferStarted;
import io.pxewings.testsupport.EmbeddedInfra;
import io.pxewings.testsupport.EventInjector;
import io.pxewings.testsupport.EventProbe;
import io.pxewings.testsupport.WingsInfraResource;
import io.pxewings.tftp.server.TftpServer;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;

/**
 * TFTP facts through the real broker: a DHCP lease fact names the client's address, so the
 * transfer facts that follow carry its MAC; a missing file is a failed fact.
 */
@QuarkusTest
@QuarkusTestResource(WingsInfraResource.class)
class TftpFactsTest {

    static final Path ROOT = Path.of("target/wings-test/tftp-root").toAbsolutePath();

    @Inject
    TftpServer server;

    @Inject
    LeaseAddresses addresses;

    @Inject
    TftpFacts facts;

    static int curl(String url, Path out) throws Exception {
        Process p = new ProcessBuilder("curl", "-sS", "-o", out.toString(), url).redirectErrorStream(true)
                .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null"))).start();
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        return p.exitValue();
    }

    /** Sends a lease fact for 127.0.0.1 and waits until the service's address map follows it. */
    LeaseChanged lease(EventInjector injector, io.pxewings.events.catalog.EventType<LeaseChanged> type, String mac) {
        LeaseChanged lease = new LeaseChanged(mac, "127.0.0.1", "loop", "", Instant.now().plusSeconds(3600));
        injector.send(new WingsEvent<>(UUID.randomUUID().toString(), type, "/sites/test/dhcp-service/d-1", mac, "test",
                Instant.now(), Traceparent.newRoot(), mac, lease));
        boolean bound = type == EventTypes.DHCP_LEASE_BOUND;
        Awaitility.await().atMost(Duration.ofSeconds(30)).until(() -> addresses.mac("127.0.0.1").isPresent() == bound);
        return lease;
    }

    @Test
    void transfersAreFactsNamingTheMacFromTheLeaseFacts() throws Exception {
        String mac = "52:54:00:7f:00:01";
        Files.createDirectories(ROOT);
        Files.write(ROOT.resolve("facts.bin"), new byte[5000]);
        Path out = Files.createTempFile("tftp-facts", ".bin");
        try (EventInjector injector = new EventInjector(EmbeddedInfra.shared().kafkaBootstrap());
             EventProbe probe = new EventProbe(EmbeddedInfra.shared().kafkaBootstrap(), Topics.TFTP_FACTS.name())) {
            lease(injector, EventTypes.DHCP_LEASE_BOUND, mac);

            assertThat(curl("tftp://127.0.0.1:" + server.port() + "/facts.bin", out)).isZero();
            WingsEvent<?> started = probe.await(e -> e.type() == EventTypes.TFTP_TRANSFER_STARTED && mac.equals(e.key()),
                    Duration.ofSeconds(30));
            assertThat(((TransferStarted) started.data()).file()).isEqualTo("facts.bin");
            assertThat(((TransferStarted) started.data()).size()).isEqualTo(5000);
            WingsEvent<?> completed = probe.await(e -> e.type() == EventTypes.TFTP_TRANSFER_COMPLETED && mac.equals(e.key()),
                    Duration.ofSeconds(30));
            TransferCompleted c = (TransferCompleted) completed.data();
            assertThat(c.mac()).isEqualTo(mac);
            assertThat(c.bytes()).isEqualTo(5000);
            assertThat(c.client()).startsWith("127.0.0.1:");

            assertThat(curl("tftp://127.0.0.1:" + server.port() + "/no-such-file", out)).isNotZero();
            WingsEvent<?> failed = probe.await(e -> e.type() == EventTypes.TFTP_TRANSFER_FAILED && mac.equals(e.key())
                    && "no-such-file".equals(((TransferFailed) e.data()).file()), Duration.ofSeconds(30));
            assertThat(((TransferFailed) failed.data()).reason()).isEqualTo("not-found");

            // The lease ends: later facts are keyed by the address alone.
            lease(injector, EventTypes.DHCP_LEASE_RELEASED, mac);
        }
    }

    @Test
    void aLeaseLearnedDuringTheTransferNamesTheMacWhenItEnds() throws Exception {
        // Firmware asks for its first stage right after its ACK, before the lease fact arrives.
        String mac = "52:54:00:7f:00:02";
        Files.createDirectories(ROOT);
        Files.write(ROOT.resolve("late.bin"), new byte[3000]);
        TftpFacts.Client unknown = facts.client("127.0.0.1", 40000);
        assertThat(unknown.mac()).as("no lease known yet").isNull();
        try (EventInjector injector = new EventInjector(EmbeddedInfra.shared().kafkaBootstrap());
             EventProbe probe = new EventProbe(EmbeddedInfra.shared().kafkaBootstrap(), Topics.TFTP_FACTS.name())) {
            lease(injector, EventTypes.DHCP_LEASE_BOUND, mac);

            facts.completed(unknown, "late.bin", 3000, 5, 512, 1, 0);
            WingsEvent<?> completed = probe.await(e -> e.type() == EventTypes.TFTP_TRANSFER_COMPLETED
                    && "late.bin".equals(((TransferCompleted) e.data()).file()), Duration.ofSeconds(30));
            assertThat(completed.key()).isEqualTo(mac);
            assertThat(((TransferCompleted) completed.data()).mac()).isEqualTo(mac);

            lease(injector, EventTypes.DHCP_LEASE_RELEASED, mac);
        }
    }
}

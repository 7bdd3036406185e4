package io.pxewings.suite;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.HashMap;
import java.util.Map;

import org.junit.jupiter.api.Test;

import io.pxewings.deploy.infra.FreePorts;

/** A service given a missing or invalid config value stops at start and names the key. */
class ConfigRefusalTest {

    @Test
    void aMissingSiteStopsTheServiceNamingTheKey() throws Exception {
        Repo.Result r = start("dhcp-service", Map.of());
        assertThat(r.exitCode()).as(r.output()).isNotZero();
        assertThat(r.output()).contains("wings.site");
    }

    @Test
    void anInvalidSiteStopsTheServiceNamingTheKey() throws Exception {
        Repo.Result r = start("orchestrator", Map.of("WINGS_SITE", "Not A Site"));
        assertThat(r.exitCode()).as(r.output()).isNotZero();
        assertThat(r.output()).contains("wings.site").contains("lower-case DNS label");
    }

    @Test
    void anOutOfRangeServiceValueStopsTheServiceNamingTheKey() throws Exception {
        Repo.Result r = start("dhcp-service", Map.of("WINGS_SITE", "lab", "WINGS_DHCP_PORT", "70000"));
        assertThat(r.exitCode()).as(r.output()).isNotZero();
        assertThat(r.output()).contains("wings.dhcp.port");
    }

    @Test
    void anUnknownEnumValueStopsTheServiceNamingTheKey() throws Exception {
        Repo.Result r = start("dhcp-service", Map.of("WINGS_SITE", "lab", "WINGS_DHCP_MODE", "relay"));
        assertThat(r.exitCode()).as(r.output()).isNotZero();
        assertThat(r.output()).contains("wings.dhcp.mode");
    }

    private static Repo.Result start(String service, Map<String, String> env) throws Exception {
        Map<String, String> all = new HashMap<>(env);
        all.put("QUARKUS_HTTP_PORT", Integer.toString(FreePorts.next()));
        // Nothing listens there: the service must fail on config before it ever needs Kafka.
        all.put("KAFKA_BOOTSTRAP_SERVERS", "127.0.0.1:" + FreePorts.next());
        return Repo.run(all, Duration.ofSeconds(60), Repo.service(service));
    }
}

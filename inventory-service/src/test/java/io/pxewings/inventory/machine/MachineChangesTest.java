package io.pxewings.inventory.machine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.util.Map;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.pxewings.inventory.validation.InvalidField;

/** Operator edits: RFC 7396 merge-patch semantics, full replacement, and what is refused. */
class MachineChangesTest {

    static final ObjectMapper JSON = new ObjectMapper();

    static JsonNode json(String text) throws Exception {
        return JSON.readTree(text);
    }

    static Machine machine() {
        Machine m = Machine.create("dc1", MachineState.DISCOVERED, Instant.parse("2026-11-28T00:00:00Z"));
        m.hostname = "node-1";
        m.labels = new java.util.TreeMap<>(Map.of("rack", "r1", "burn-in", "yes"));
        m.bmcAddress = "10.0.0.1";
        m.bmcProtocol = "ipmi";
        m.bmcCredentialsRef = "vault:a";
        return m;
    }

    @Test
    void aMergePatchChangesOnlyWhatItNamesAndNullRemoves() throws Exception {
        Machine m = machine();
        MachineChanges c = MachineChanges.fromMergePatch(json("""
                {"labels":{"burn-in":null,"role":"compute"},"bmc":{"protocol":"redfish"},"state":"ready"}"""), m);
        assertThat(c.applyScalars(m)).containsExactly("state", "labels", "bmc");
        assertThat(m.labels).containsExactlyInAnyOrderEntriesOf(Map.of("rack", "r1", "role", "compute"));
        assertThat(m.bmcAddress).as("bmc members merge").isEqualTo("10.0.0.1");
        assertThat(m.bmcProtocol).isEqualTo("redfish");
        assertThat(m.hostname).isEqualTo("node-1");
        assertThat(c.nics()).as("absent nics stay as they are").isNull();

        MachineChanges clear = MachineChanges.fromMergePatch(json("{\"hostname\":null,\"bmc\":null}"), m);
        assertThat(clear.applyScalars(m)).containsExactly("hostname", "bmc");
        assertThat(m.hostname).isNull();
        assertThat(m.bmcAddress).isNull();
        assertThat(MachineChanges.fromMergePatch(json("{}"), m).applyScalars(m)).isEmpty();
    }

    @Test
    void aFullBodyClearsWhatItLeavesOutButKeepsTheState() throws Exception {
        Machine m = machine();
        MachineChanges c = MachineChanges.fromFull(json("{\"site\":\"dc1\",\"hostname\":\"Node-1.\"}"));
        assertThat(c.applyScalars(m)).containsExactly("labels", "bmc");
        assertThat(m.hostname).isEqualTo("node-1");
        assertThat(m.labels).isEmpty();
        assertThat(m.state).isEqualTo("discovered");
        assertThat(c.nics()).isEmpty();
    }

    @Test
    void refusalsNameTheField() throws Exception {
        Machine m = machine();
        String[][] cases = {
                {"{\"serial\":\"x\"}", "serial"},
                {"{\"colour\":\"x\"}", "colour"},
                {"{\"labels\":[\"a\"]}", "labels"},
                {"{\"labels\":{\"ok\":5}}", "labels.ok"},
                {"{\"bmc\":{\"address\":\"10.0.0.1\",\"secret\":\"s\"}}", "bmc.secret"},
                {"{\"bmc\":{\"address\":\"10.0.0.1\",\"protocol\":\"snmp\"}}", "bmc.protocol"},
                {"{\"bmc\":{\"address\":\"10.0.0.1\",\"credentialsRef\":\"user pass\"}}", "bmc.credentialsRef"},
                {"{\"nics\":[{\"mac\":\"02:00:00:00:00:01\",\"boot\":true},{\"mac\":\"02:00:00:00:00:02\",\"boot\":true}]}", "nics"},
                {"{\"nics\":[{\"mac\":\"02:00:00:00:00:01\"},{\"mac\":\"02-00-00-00-00-01\"}]}", "nics[1].mac"},
                {"{\"nics\":[{\"mac\":\"02:00:00:00:00:01\",\"boot\":\"yes\"}]}", "nics[0].boot"},
                {"{\"state\":null}", "state"},
                {"[]", "body"},
        };
        for (String[] c : cases) {
            assertThatThrownBy(() -> MachineChanges.fromMergePatch(json(c[0]), m)).as(c[0])
                    .isInstanceOf(InvalidField.class).extracting(e -> ((InvalidField) e).field()).isEqualTo(c[1]);
        }
        assertThatThrownBy(() -> MachineChanges.fromFull(json("{\"hostname\":\"a\"}")))
                .isInstanceOf(InvalidField.class).extracting(e -> ((InvalidField) e).field()).isEqualTo("site");
    }
}

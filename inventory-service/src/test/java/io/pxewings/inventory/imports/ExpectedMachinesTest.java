package io.pxewings.inventory.imports;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.tuple;

import java.io.StringReader;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import io.pxewings.inventory.imports.ExpectedMachines.ExpectedMachine;
import io.pxewings.inventory.imports.ExpectedMachines.Parsed;
import io.pxewings.inventory.imports.ExpectedMachines.RowError;
import io.pxewings.inventory.validation.Fields;
import io.pxewings.inventory.validation.InvalidField;

class ExpectedMachinesTest {

    private static Parsed csv(String text) {
        return ExpectedMachines.csv(new StringReader(text), null, 1000);
    }

    private static Parsed csv(String text, String defaultSite) {
        return ExpectedMachines.csv(new StringReader(text), defaultSite, 1000);
    }

    private static void fileError(String text, String message) {
        assertThatThrownBy(() -> csv(text)).isInstanceOfSatisfying(InvalidField.class, e -> {
            assertThat(e.field()).isEqualTo("file");
            assertThat(e.getMessage()).isEqualTo(message);
        });
    }

    // ---- golden CSV

    @Test
    void everyColumnQuotedFieldsAndCrlf() {
        Parsed p = csv("MAC,Site,hostname,bmc_address,bmc_protocol,bmc_credentials,labels,address\r\n"
                + "52-54-00-AA-00-01,DC1,Node-1.dc1.example.com.,\"[fd00::21]:623\",Redfish,vault:dc1/bmc/r12,"
                + "\"rack=r12;role=compute\",10.0.0.11\r\n"
                + "5254.00aa.0002, dc1 ,node-2,192.0.2.22,,,,\r\n");
        assertThat(p.errors()).isEmpty();
        assertThat(p.rows()).containsExactly(
                new ExpectedMachine(2, "52:54:00:aa:00:01", "dc1", "node-1.dc1.example.com",
                        new Fields.BmcAddress("fd00::21", 623), "redfish", "vault:dc1/bmc/r12",
                        Map.of("rack", "r12", "role", "compute"), "10.0.0.11"),
                new ExpectedMachine(3, "52:54:00:aa:00:02", "dc1", "node-2",
                        new Fields.BmcAddress("192.0.2.22", null), "ipmi", null, Map.of(), null));
        assertThat(p.rows().get(0).labels().keySet()).containsExactly("rack", "role");
    }

    @Test
    void quotedFieldsMayHoldCommasQuotesAndNewlinesAndLineNumbersArePhysical() {
        Parsed p = csv("hostname,labels,mac,site\n"
                + "node-1,\"rack=r1;\n role=compute\",52:54:00:aa:00:01,dc1\n"   // record on lines 2-3
                + "\n"                                                            // line 4, blank
                + "\"node-2\",\"\",52:54:00:aa:00:02,dc1\n"                        // line 5
                + "node-3,\"a=\"\"b\"\"\",52:54:00:aa:00:03,dc1\r\n"              // line 6: labels a="b" is invalid
                + "\"node-4\",\"x=1,\r\ny=2\",52:54:00:aa:00:04,dc1\r\n"           // lines 7-8: "1,\r\ny" is not a value
                + "node-5,,52:54:00:aa:00:05,dc1");                              // line 9, no final newline
        assertThat(p.rows()).extracting(ExpectedMachine::line, ExpectedMachine::hostname)
                .containsExactly(tuple(2, "node-1"), tuple(5, "node-2"),
                        tuple(9, "node-5"));
        assertThat(p.rows().get(0).labels()).isEqualTo(Map.of("rack", "r1", "role", "compute"));
        assertThat(p.errors()).extracting(RowError::line, RowError::field).containsExactly(
                tuple(6, "labels.a"), tuple(7, "labels.x"));
        assertThat(p.errors().get(0).message()).isEqualTo("\"\"b\"\" is not a label value: expected empty, or 1-63 characters"
                + " [A-Za-z0-9-_.] starting and ending with a letter or digit");
        assertThat(p.errors().get(1).message()).startsWith("\"1,\\x0d\\x0ay=2\" is not a label value");
    }

    @Test
    void blankLinesAndEmptyRecordsAreSkippedAndAByteOrderMarkIsNotAColumnName() {
        Parsed p = csv("\uFEFFmac,site\n\n52:54:00:aa:00:01,dc1\n,\n   \n\r\n52:54:00:aa:00:02,dc1\n\n");
        assertThat(p.errors()).isEmpty();
        assertThat(p.rows()).extracting(ExpectedMachine::line).containsExactly(3, 7);
    }

    @Test
    void loneCrEndsALineToo() {
        Parsed p = csv("mac,site\r52:54:00:aa:00:01,dc1\r52:54:00:aa:00:01,dc1\r");
        assertThat(p.rows()).extracting(ExpectedMachine::line).containsExactly(2);
        assertThat(p.errors()).containsExactly(new RowError(3, "mac", "mac 52:54:00:aa:00:01 already on line 2"));
    }

    @Test
    void defaultSite() {
        Parsed p = csv("mac,site\n52:54:00:aa:00:01,\n52:54:00:aa:00:02,dc2\n", "DC1");
        assertThat(p.rows()).extracting(ExpectedMachine::site).containsExactly("dc1", "dc2");
        assertThat(csv("mac\n52:54:00:aa:00:01\n", "dc1").rows()).extracting(ExpectedMachine::site).containsExactly("dc1");
        assertThat(csv("mac,site\n52:54:00:aa:00:01,\n").errors()).containsExactly(
                new RowError(2, "site", "is required: the row has no site and no default site was given"));
        assertThatThrownBy(() -> csv("mac\n", "-dc1")).isInstanceOfSatisfying(InvalidField.class,
                e -> assertThat(e.field()).isEqualTo("site"));
    }

    // ---- whole-file errors

    @Test
    void wholeFileErrors() {
        fileError("", "is empty: expected a header row naming the columns, such as mac,site,hostname");
        fileError("\n\r\n", "is empty: expected a header row naming the columns, such as mac,site,hostname");
        fileError("mac,site,rack\n", "has an unknown column \"rack\" in its header (line 1); the columns are"
                + " mac, site, hostname, bmc_address, bmc_protocol, bmc_credentials, labels, address");
        fileError("mac,site,\n", "has an unknown column \"\" in its header (line 1); the columns are"
                + " mac, site, hostname, bmc_address, bmc_protocol, bmc_credentials, labels, address");
        fileError("mac,site,MAC\n", "names the column mac twice in its header (line 1)");
        fileError("site,hostname\ndc1,a\n", "has no mac column in its header (line 1); it is required");
        fileError("mac,hostname\n", "has no site column and no default site was given");
        fileError("mac,site\n52:54:00:aa:00:01,dc1\n\"52:54:00:aa:00:02,dc1\n52:54:00:aa:00:03,dc1\n",
                "the quoted field that starts on line 3 has no closing '\"' before the end of the file");
        fileError("mac,\"site\n", "the quoted field that starts on line 1 has no closing '\"' before the end of the file");
    }

    @Test
    void tooManyRowsFailsTheWholeFile() {
        String two = "mac,site\n52:54:00:aa:00:01,dc1\n\n52:54:00:aa:00:02,dc1\n";
        assertThat(ExpectedMachines.csv(new StringReader(two), null, 2).rows()).hasSize(2);
        assertThatThrownBy(() -> ExpectedMachines.csv(new StringReader(two + "52:54:00:aa:00:03,dc1\n"), null, 2))
                .isInstanceOfSatisfying(InvalidField.class, e -> {
                    assertThat(e.field()).isEqualTo("file");
                    assertThat(e.getMessage()).isEqualTo("has more than 2 rows; split it into several imports");
                });
    }

    // ---- row errors

    @Test
    void structuralRowErrors() {
        Parsed p = csv("mac,site\n"
                + "52:54:00:aa:00:01\n"                       // 2: too few
                + "52:54:00:aa:00:02,dc1,x\n"                 // 3: too many
                + "\"52:54:00:aa:00:03\"x,dc1\n"              // 4: text after closing quote
                + "\"52:54:00:aa:00:04\"  ,dc1\n"             // 5: spaces after the quote are fine
                + "52:54:00:aa:00:05,\"dc1\"\n");             // 6
        assertThat(p.errors()).containsExactly(
                new RowError(2, "row", "has 1 fields but the header has 2"),
                new RowError(3, "row", "has 3 fields but the header has 2"),
                new RowError(4, "row", "has text after the closing '\"' of a quoted field (RFC 4180: a quote inside"
                        + " a quoted field is written twice)"),
                new RowError(4, "mac", "\"52:54:00:aa:00:03x\" is not a MAC address: expected aa:bb:cc:dd:ee:ff,"
                        + " aa-bb-cc-dd-ee-ff or aabb.ccdd.eeff"));
        assertThat(p.rows()).extracting(ExpectedMachine::line).containsExactly(5, 6);
    }

    @Test
    void everyBadFieldOfARowIsReported() {
        Parsed p = csv("mac,site,hostname,bmc_address,bmc_protocol,bmc_credentials,labels,address\n"
                + "01:00:5e:00:00:01,dc_1,-node,192.0.2.300,telnet,hunter2 is my password,rack,10.0.0.256\n");
        assertThat(p.rows()).isEmpty();
        assertThat(p.errors()).extracting(RowError::line, RowError::field).containsExactly(
                tuple(2, "labels"),
                tuple(2, "mac"),
                tuple(2, "site"),
                tuple(2, "hostname"),
                tuple(2, "bmc_address"),
                tuple(2, "bmc_protocol"),
                tuple(2, "bmc_credentials"),
                tuple(2, "address"));
        assertThat(p.errors().get(0).message()).isEqualTo("\"rack\" is not key=value; labels are written like rack=r12;role=compute");
        assertThat(p.errors().get(1).message()).contains("multicast");
        assertThat(p.errors().get(5).message()).isEqualTo("\"telnet\" is not a BMC protocol: expected ipmi or redfish");
        assertThat(p.errors().get(6).message()).isEqualTo("contains whitespace: it must name where the credentials are kept"
                + " (like vault:dc1/bmc/r12), never hold the secret itself").doesNotContain("hunter2");
    }

    @Test
    void bmcRules() {
        Parsed p = csv("mac,site,bmc_address,bmc_protocol,bmc_credentials\n"
                + "52:54:00:aa:00:01,dc1,,redfish,\n"                       // 2: protocol without address
                + "52:54:00:aa:00:02,dc1,,,vault:dc1/bmc/r1\n"              // 3: credentials without address
                + "52:54:00:aa:00:03,dc1,bmc-3,IPMI,-vault\n"               // 4: bad reference
                + "52:54:00:aa:00:04,dc1,bmc-4:8443,redfish,vault:dc1/bmc/r12@v2\n");
        assertThat(p.errors()).containsExactly(
                new RowError(2, "bmc_protocol", "is set but bmc_address is not"),
                new RowError(3, "bmc_credentials", "is set but bmc_address is not"),
                new RowError(4, "bmc_credentials", "is not a credentials reference: expected up to 200 characters"
                        + " [A-Za-z0-9._:/@-] starting with a letter or digit, like vault:dc1/bmc/r12"));
        assertThat(p.rows()).containsExactly(new ExpectedMachine(5, "52:54:00:aa:00:04", "dc1", null,
                new Fields.BmcAddress("bmc-4", 8443), "redfish", "vault:dc1/bmc/r12@v2", Map.of(), null));
        assertThat(csv("mac,site,bmc_credentials,bmc_address\n52:54:00:aa:00:05,dc1," + "v".repeat(201) + ",bmc\n")
                .errors()).extracting(RowError::field).containsExactly("bmc_credentials");
    }

    @Test
    void labelsText() {
        Parsed p = csv("mac,site,labels\n"
                + "52:54:00:aa:00:01,dc1,rack=r1;;role=;\n"
                + "52:54:00:aa:00:02,dc1,rack=r1;rack=r2\n"
                + "52:54:00:aa:00:03,dc1,\" rack = r1 ; example.com/pool = gpu \"\n");
        assertThat(p.rows()).extracting(ExpectedMachine::labels).containsExactly(
                Map.of("rack", "r1", "role", ""), Map.of("example.com/pool", "gpu", "rack", "r1"));
        assertThat(p.errors()).containsExactly(new RowError(3, "labels", "\"rack=r2\" repeats the label rack"));
    }

    // ---- duplicates

    @Test
    void repeatsWithinAFileAreErrorsOnTheLaterRows() {
        Parsed p = csv("mac,site,hostname,address\n"
                + "52:54:00:aa:00:01,dc1,node-1,10.0.0.1\n"        // 2
                + "52-54-00-AA-00-01,dc1,node-2,10.0.0.2\n"        // 3: same MAC, other spelling
                + "52:54:00:aa:00:03,dc1,NODE-1,10.0.0.3\n"        // 4: same hostname, same site
                + "52:54:00:aa:00:04,dc2,node-1,10.0.0.1\n"        // 5: other site: fine
                + "52:54:00:aa:00:05,dc1,node-5,10.0.0.1\n"        // 6: same address, same site
                + "5254.00aa.0001,dc1,node-1,10.0.0.2\n");         // 7: all three
        assertThat(p.rows()).extracting(ExpectedMachine::line).containsExactly(2, 5);
        assertThat(p.errors()).containsExactly(
                new RowError(3, "mac", "mac 52:54:00:aa:00:01 already on line 2"),
                new RowError(4, "hostname", "hostname node-1 (site dc1) already on line 2"),
                new RowError(6, "address", "address 10.0.0.1 (site dc1) already on line 2"),
                new RowError(7, "mac", "mac 52:54:00:aa:00:01 already on line 2"),
                new RowError(7, "hostname", "hostname node-1 (site dc1) already on line 2"),
                new RowError(7, "address", "address 10.0.0.2 (site dc1) already on line 3"));
    }

    // ---- JSON rows

    @Test
    void jsonRows() {
        Map<String, Object> flat = new LinkedHashMap<>();
        flat.put("MAC", "52:54:00:aa:00:01");
        flat.put("hostname", "node-1");
        flat.put("bmc_address", "192.0.2.21");
        flat.put("labels", Map.of("rack", "r1"));
        flat.put("address", null);
        Map<String, Object> nested = new LinkedHashMap<>();
        nested.put("mac", "52:54:00:aa:00:02");
        nested.put("site", "dc2");
        nested.put("bmc", Map.of("address", "[fd00::22]:443", "protocol", "redfish", "credentials", "vault:dc2/bmc/2"));
        nested.put("labels", "role=compute");
        Parsed p = ExpectedMachines.rows(List.of(flat, nested), "dc1", 10);
        assertThat(p.errors()).isEmpty();
        assertThat(p.rows()).containsExactly(
                new ExpectedMachine(1, "52:54:00:aa:00:01", "dc1", "node-1", new Fields.BmcAddress("192.0.2.21", null), "ipmi",
                        null, Map.of("rack", "r1"), null),
                new ExpectedMachine(2, "52:54:00:aa:00:02", "dc2", null, new Fields.BmcAddress("fd00::22", 443), "redfish",
                        "vault:dc2/bmc/2", Map.of("role", "compute"), null));
    }

    @Test
    void jsonRowErrorsNameTheFieldAsGiven() {
        Map<String, Object> r1 = new LinkedHashMap<>();
        r1.put("mac", 525400);
        r1.put("rack", "r1");
        r1.put("labels", Map.of("rack", 12));
        Map<String, Object> r2 = new HashMap<>();
        r2.put("mac", "52:54:00:aa:00:02");
        r2.put("bmc", Map.of("protocol", "redfish", "user", "root"));
        Map<String, Object> r3 = new HashMap<>();
        r3.put("mac", "52:54:00:aa:00:02");
        r3.put("bmc", "192.0.2.1");
        r3.put("labels", List.of("rack=r1"));
        Map<String, Object> r4 = new HashMap<>();
        r4.put("mac", "52:54:00:aa:00:04");
        r4.put("bmc", Map.of("address", "192.0.2.1"));
        r4.put("bmc_protocol", "ipmi");
        Map<String, Object> r5 = new LinkedHashMap<>();
        r5.put("mac", "52:54:00:aa:00:05");
        r5.put("Mac", "52:54:00:aa:00:06");
        List<Map<String, Object>> rows = new ArrayList<>(List.of(r1, r2, r3, r4, r5));
        rows.add(1, null);
        Parsed p = ExpectedMachines.rows(rows, "dc1", 10);
        assertThat(p.rows()).isEmpty();
        assertThat(p.errors()).containsExactlyInAnyOrder(
                new RowError(1, "rack", "is not a known field; the fields are mac, site, hostname, bmc_address, bmc_protocol,"
                        + " bmc_credentials, labels, address and bmc"),
                new RowError(1, "mac", "must be a string"),
                new RowError(1, "labels.rack", "must be a string"),
                new RowError(2, "row", "is null: expected an object"),
                new RowError(3, "bmc.user", "is not a known field; the fields are address, protocol and credentials"),
                new RowError(3, "bmc.protocol", "is set but bmc.address is not"),
                new RowError(4, "bmc", "must be an object like {\"address\":\"192.0.2.20\",\"protocol\":\"redfish\"}"),
                new RowError(4, "labels", "must be an object of strings, like {\"rack\":\"r12\"}"),
                new RowError(4, "mac", "mac 52:54:00:aa:00:02 already on line 3"),
                new RowError(5, "bmc", "is given together with bmc_address, bmc_protocol or bmc_credentials; give one form only"),
                new RowError(6, "mac", "is given twice (names are case-insensitive)"));
    }

    @Test
    void jsonWholeInputErrors() {
        assertThatThrownBy(() -> ExpectedMachines.rows(null, "dc1", 10)).isInstanceOfSatisfying(InvalidField.class,
                e -> assertThat(e.field()).isEqualTo("file"));
        List<Map<String, Object>> three = List.of(Map.of("mac", "52:54:00:aa:00:01"), Map.of("mac", "52:54:00:aa:00:02"),
                Map.of("mac", "52:54:00:aa:00:03"));
        assertThat(ExpectedMachines.rows(three, "dc1", 3).rows()).hasSize(3);
        assertThatThrownBy(() -> ExpectedMachines.rows(three, "dc1", 2))
                .hasMessage("has more than 2 rows; split it into several imports");
    }

    // ---- size

    @Test
    void tenThousandRows() {
        StringBuilder sb = new StringBuilder("mac,site,hostname,address,labels\r\n");
        for (int i = 0; i < 10_000; i++) {
            sb.append(String.format("52:54:00:%02x:%02x:%02x,dc1,node-%d,10.%d.%d.%d,\"rack=r%d;role=compute\"\r\n",
                    i >> 16 & 0xff, i >> 8 & 0xff, i & 0xff, i, i >> 16 & 0xff, i >> 8 & 0xff, i & 0xff, i % 40));
        }
        Parsed p = ExpectedMachines.csv(new StringReader(sb.toString()), null, 10_000);
        assertThat(p.errors()).isEmpty();
        assertThat(p.rows()).hasSize(10_000);
        assertThat(p.rows().get(9_999).line()).isEqualTo(10_001);
        assertThat(p.rows().get(9_999).hostname()).isEqualTo("node-9999");
    }
}

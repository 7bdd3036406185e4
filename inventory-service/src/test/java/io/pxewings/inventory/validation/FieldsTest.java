package io.pxewings.inventory.validation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class FieldsTest {

    private static InvalidField invalid(Runnable r) {
        try {
            r.run();
        } catch (InvalidField e) {
            return e;
        }
        throw new AssertionError("expected InvalidField");
    }

    // ---- mac

    @ParameterizedTest
    @CsvSource({
        "52:54:00:12:34:56, 52:54:00:12:34:56",
        "52:54:00:AB:cd:EF, 52:54:00:ab:cd:ef",
        "52-54-00-AB-CD-EF, 52:54:00:ab:cd:ef",
        "5254.00ab.cdef,    52:54:00:ab:cd:ef",
        "02:00:00:00:00:00, 02:00:00:00:00:00",
    })
    void macAcceptsTheThreeFormsAndGivesLowerCaseColons(String raw, String canonical) {
        assertThat(Fields.mac("mac", raw)).isEqualTo(canonical);
    }

    @ParameterizedTest
    @ValueSource(strings = {"52:54:00:12:34", "52:54:00:12:34:56:78", "5254.0012.345", "52:54-00:12:34:56",
        "525400123456", "52:54:00:12:34:5g", "2:54:00:12:34:56", " 52:54:00:12:34:56", "5254:0012:3456",
        "52.54.00.12.34.56", "52:54:00:12:34:56\n", "\uff15\uff12:54:00:12:34:56"})
    void macRejectsOtherForms(String raw) {
        InvalidField e = invalid(() -> Fields.mac("nics[0].mac", raw));
        assertThat(e.field()).isEqualTo("nics[0].mac");
        assertThat(e.getMessage()).contains("is not a MAC address");
    }

    @ParameterizedTest
    @ValueSource(strings = {"01:00:5e:00:00:01", "ff:ff:ff:ff:ff:ff", "33-33-00-00-00-01", "0300.0000.0001"})
    void macRejectsMulticast(String raw) {
        assertThat(invalid(() -> Fields.mac("mac", raw)).getMessage())
                .isEqualTo("\"" + raw + "\" is a multicast address; a multicast address cannot be a NIC address");
    }

    @Test
    void macRejectsAllZeroAndAbsent() {
        assertThat(invalid(() -> Fields.mac("mac", "00-00-00-00-00-00")).getMessage()).contains("all zeros");
        assertThat(invalid(() -> Fields.mac("mac", null)).getMessage()).startsWith("is required");
        assertThat(invalid(() -> Fields.mac("mac", "")).getMessage()).startsWith("is required");
    }

    // ---- quoting in messages

    @Test
    void messagesQuoteAShortenedValueWithControlCharactersEscaped() {
        String longValue = "x".repeat(100);
        assertThat(invalid(() -> Fields.mac("mac", longValue)).getMessage())
                .startsWith("\"" + "x".repeat(64) + "...\" is not");
        assertThat(invalid(() -> Fields.mac("mac", "ab\r\ncd\u0000\u007f")).getMessage())
                .startsWith("\"ab\\x0d\\x0acd\\x00\\x7f\" is not");
        assertThat(Fields.quote(null)).isEqualTo("\"null\"");
    }

    // ---- uuid

    @Test
    void uuidIsLowerCased() {
        assertThat(Fields.uuid("uuid", "4B1D3C2E-0F6A-4C8E-9D51-2A7BE0C4F9A1")).isEqualTo("4b1d3c2e-0f6a-4c8e-9d51-2a7be0c4f9a1");
        assertThat(Fields.uuidOrNull("uuid", null)).isNull();
        assertThat(Fields.uuidOrNull("uuid", "")).isNull();
        assertThat(Fields.uuidOrNull("uuid", "00000000-0000-0000-0000-000000000000"))
                .isEqualTo("00000000-0000-0000-0000-000000000000");
    }

    @ParameterizedTest
    @ValueSource(strings = {"4b1d3c2e0f6a4c8e9d512a7be0c4f9a1", "{4b1d3c2e-0f6a-4c8e-9d51-2a7be0c4f9a1}",
        "urn:uuid:4b1d3c2e-0f6a-4c8e-9d51-2a7be0c4f9a1", "4b1d3c2e-0f6a-4c8e-9d51-2a7be0c4f9a", "4b1d3c2e-0f6a-4c8e-9d51-2a7be0c4f9ag",
        "4b1d3c2e-0f6a4-c8e-9d51-2a7be0c4f9a1", " "})
    void uuidRejectsOtherForms(String raw) {
        assertThat(invalid(() -> Fields.uuidOrNull("system_uuid", raw)).getMessage()).contains("is not a UUID");
    }

    @Test
    void placeholderUuids() {
        assertThat(Fields.isPlaceholderUuid("00000000-0000-0000-0000-000000000000")).isTrue();
        assertThat(Fields.isPlaceholderUuid("ffffffff-ffff-ffff-ffff-ffffffffffff")).isTrue();
        assertThat(Fields.isPlaceholderUuid("03000200-0400-0500-0006-000700080009")).isTrue();
        assertThat(Fields.isPlaceholderUuid("4b1d3c2e-0f6a-4c8e-9d51-2a7be0c4f9a1")).isFalse();
    }

    // ---- ip

    @ParameterizedTest
    @CsvSource({"0.0.0.0", "192.0.2.10", "255.255.255.255", "10.0.100.1"})
    void ipv4AcceptsDottedQuads(String raw) {
        assertThat(Fields.ipv4("address", raw)).isEqualTo(raw);
        assertThat(Fields.ip("address", raw)).isEqualTo(raw);
    }

    @ParameterizedTest
    @ValueSource(strings = {"192.0.2", "192.0.2.1.5", "192.0.2.256", "192.0.2.010", "01.2.3.4", "192.0.2.", ".1.2.3",
        "192.0.2.-1", "192.0.2.1a", "0x7f.0.0.1", "1234", "192.0.2.1/24", "\u0661.2.3.4", "1..2.3"})
    void ipv4RejectsOtherForms(String raw) {
        assertThat(invalid(() -> Fields.ipv4("address", raw)).getMessage()).contains("is not an IPv4 address");
    }

    @ParameterizedTest
    @CsvSource({
        // RFC 5952 section 4 examples and edge cases
        "2001:db8:0:0:0:0:2:1,           2001:db8::2:1",
        "2001:0db8:0000:0000:0000:0000:0002:0001, 2001:db8::2:1",
        "2001:DB8::1,                    2001:db8::1",
        "2001:db8:0:1:1:1:1:1,           2001:db8:0:1:1:1:1:1",
        "2001:db8:0:0:1:0:0:1,           2001:db8::1:0:0:1",
        "2001:0:0:1:0:0:0:1,             2001:0:0:1::1",
        "::,                             ::",
        "::1,                            ::1",
        "1::,                            1::",
        "0:0:0:0:0:0:0:1,                ::1",
        "1:2:3:4:5:6:7::,                1:2:3:4:5:6:7:0",
        "::2:3:4:5:6:7:8,                0:2:3:4:5:6:7:8",
        "fe80::0001:ABCD,                fe80::1:abcd",
        "::ffff:192.0.2.1,               ::ffff:192.0.2.1",
        "0:0:0:0:0:FFFF:c000:0201,       ::ffff:192.0.2.1",
        "64:ff9b::192.0.2.33,            64:ff9b::c000:221",
        "::192.0.2.1,                    ::c000:201",
        "1:2:3:4:5:6:1.2.3.4,            1:2:3:4:5:6:102:304",
        "fd00:0:0:1::,                   fd00:0:0:1::",
    })
    void ipv6IsWrittenInRfc5952Form(String raw, String canonical) {
        assertThat(Fields.ip("address", raw)).isEqualTo(canonical);
    }

    @ParameterizedTest
    @ValueSource(strings = {":::", "1:::2", "1::2::3", ":1::2", "1::2:", "1:2:3:4:5:6:7", "1:2:3:4:5:6:7:8:9",
        "1:2:3:4:5:6:7:8::", "12345::", "g::", "fe80::1%eth0", "::1.2.3", "1.2.3.4::", "::1.2.3.4:1",
        "1:2:3:4:5:6:7:1.2.3.4", "[::1]", "::01.2.3.4", ":", "1:2"})
    void ipRejectsMalformedIpv6(String raw) {
        assertThat(invalid(() -> Fields.ip("address", raw)).getMessage()).contains("is not an IPv6 address");
    }

    @Test
    void ipRejectsNamesWithoutResolvingThem() {
        assertThat(invalid(() -> Fields.ip("address", "localhost")).getMessage()).contains("is not an IPv4 address");
        assertThat(invalid(() -> Fields.ip("address", "")).getMessage()).startsWith("is required");
    }

    // ---- names

    @ParameterizedTest
    @CsvSource({
        "node-12,                    node-12",
        "Node-12.DC1.Example.COM,   node-12.dc1.example.com",
        "node-12.dc1.example.com.,  node-12.dc1.example.com",
        "1node,                     1node",
        "a.b-c.d9,                  a.b-c.d9",
    })
    void hostnameIsLowerCasedAndLosesAFinalDot(String raw, String canonical) {
        assertThat(Fields.hostname("hostname", raw)).isEqualTo(canonical);
    }

    @Test
    void hostnameLimits() {
        String label63 = "a".repeat(63);
        assertThat(Fields.hostname("hostname", label63)).isEqualTo(label63);
        String name253 = String.join(".", label63, label63, label63, "a".repeat(61));
        assertThat(name253).hasSize(253);
        assertThat(Fields.hostname("hostname", name253)).isEqualTo(name253);
        assertThat(Fields.hostname("hostname", name253 + ".")).isEqualTo(name253);
        assertThat(invalid(() -> Fields.hostname("hostname", name253 + "a")).getMessage()).contains("1-253 characters");
        assertThat(invalid(() -> Fields.hostname("hostname", "a".repeat(64))).getMessage()).contains("1-63");
    }

    @ParameterizedTest
    @ValueSource(strings = {"-node", "node-", "no_de", "node..dc1", ".node", ".", "node dc1", "n\u00f6de",
        "\u212aube", "node.dc1.123", "10.0.0.1", "node/1"})
    void hostnameRejects(String raw) {
        assertThat(invalid(() -> Fields.hostname("hostname", raw)).getMessage()).contains("is not a host name");
    }

    @Test
    void site() {
        assertThat(Fields.site("site", "DC1")).isEqualTo("dc1");
        assertThat(Fields.site("site", "eu-west-2a")).isEqualTo("eu-west-2a");
        assertThat(Fields.site("site", "a".repeat(63))).hasSize(63);
        for (String bad : new String[] {"-dc1", "dc1-", "dc.1", "dc_1", "a".repeat(64), "d\u0131"}) {
            assertThat(invalid(() -> Fields.site("wings.site", bad)).getMessage()).contains("is not a site name");
        }
        assertThat(invalid(() -> Fields.site("site", null)).getMessage()).startsWith("is required");
    }

    // ---- BMC

    @ParameterizedTest
    @CsvSource({
        "192.0.2.20,                 192.0.2.20,              ,    192.0.2.20",
        "192.0.2.20:623,             192.0.2.20,              623, 192.0.2.20:623",
        "FD00:0::20,                 fd00::20,                ,    fd00::20",
        "[fd00::20],                 fd00::20,                ,    fd00::20",
        "[fd00::20]:623,             fd00::20,                623, [fd00::20]:623",
        "BMC-r12.dc1.example,        bmc-r12.dc1.example,     ,    bmc-r12.dc1.example",
        "bmc-r12.dc1.example:443,    bmc-r12.dc1.example,     443, bmc-r12.dc1.example:443",
        "bmc:65535,                  bmc,                     65535, bmc:65535",
        "[::ffff:192.0.2.1]:1,       ::ffff:192.0.2.1,        1,   [::ffff:192.0.2.1]:1",
    })
    void bmcAddress(String raw, String host, Integer port, String text) {
        Fields.BmcAddress a = Fields.bmcAddress("bmc_address", raw);
        assertThat(a).isEqualTo(new Fields.BmcAddress(host, port));
        assertThat(a.toString()).isEqualTo(text);
        assertThat(Fields.bmcAddress("bmc_address", a.toString())).isEqualTo(a);
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "192.0.2.20:0        | bad port",
        "192.0.2.20:65536    | bad port",
        "192.0.2.20:0623     | bad port",
        "192.0.2.20:        | bad port",
        "192.0.2.20:x        | bad port",
        "[fd00::20]:         | bad port",
        "[fd00::20           | without ']'",
        "[fd00::20]x         | text after ']'",
        "[192.0.2.20]:623    | only for IPv6",
        "192.0.2.300         | is not an IPv4 address",
        "fd00::20:623:1:2:3:4:5 | is not an IPv6 address",
        "bmc_r12:623         | is not a host name",
        "-bmc                | is not a host name",
    })
    void bmcAddressRejects(String raw, String message) {
        InvalidField e = invalid(() -> Fields.bmcAddress("bmc.address", raw));
        assertThat(e.field()).isEqualTo("bmc.address");
        assertThat(e.getMessage()).contains(message);
    }

    // ---- labels

    @ParameterizedTest
    @ValueSource(strings = {"rack", "Rack_1.a-b", "example.com/rack", "a.b-c.example/x", "a", "a23456789012345678901234567890123456789012345678901234567890123",
        "pxewings.io/ROLE"})
    void labelKeysAccepted(String raw) {
        assertThat(Fields.labelKey("key", raw)).isEqualTo(raw);
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "-rack", "rack-", "_rack", "ra ck", "ra/ck/x", "/rack", "rack/", "Example.com/rack",
        "exa_mple.com/rack", "example..com/rack", "r\u00e4ck"})
    void labelKeysRejected(String raw) {
        assertThat(invalid(() -> Fields.labelKey("key", raw)).field()).isEqualTo("key");
    }

    @Test
    void labelKeyLengthLimits() {
        String prefix253 = ("a".repeat(62) + ".").repeat(4) + "b";
        assertThat(prefix253).hasSize(253);
        assertThat(Fields.labelKey("key", prefix253 + "/" + "n".repeat(63))).isNotNull();
        assertThat(invalid(() -> Fields.labelKey("key", "a" + prefix253 + "/n")).getMessage()).contains("253");
        assertThat(invalid(() -> Fields.labelKey("key", "x/" + "n".repeat(64))).getMessage()).contains("1-63");
    }

    @Test
    void labelValues() {
        assertThat(Fields.labelValue("v", "")).isEmpty();
        assertThat(Fields.labelValue("v", "R12.a_b-c")).isEqualTo("R12.a_b-c");
        assertThat(Fields.labelValue("v", "v".repeat(63))).hasSize(63);
        for (String bad : new String[] {"v".repeat(64), "-a", "a-", "a b", "a/b", ".a", "a\n"}) {
            assertThat(invalid(() -> Fields.labelValue("v", bad)).getMessage()).contains("is not a label value");
        }
        assertThat(invalid(() -> Fields.labelValue("v", null)).getMessage()).startsWith("is required");
    }

    @Test
    void labelsAreCheckedEntryByEntryAndComeBackSorted() {
        Map<String, String> in = new LinkedHashMap<>();
        in.put("zone", "a");
        in.put("rack", "r12");
        Map<String, String> out = Fields.labels("labels", in);
        assertThat(out.keySet()).containsExactly("rack", "zone");
        assertThatThrownBy(() -> out.put("x", "y")).isInstanceOf(UnsupportedOperationException.class);
        assertThat(Fields.labels("labels", null)).isEmpty();

        in.put("role", "bad value");
        assertThat(invalid(() -> Fields.labels("labels", in)).field()).isEqualTo("labels.role");
        in.remove("role");
        in.put("bad key", "x");
        assertThat(invalid(() -> Fields.labels("labels", in)).field()).isEqualTo("labels.bad key");

        Map<String, String> many = new HashMap<>();
        for (int i = 0; i < 64; i++) {
            many.put("k" + i, "v");
        }
        assertThat(Fields.labels("labels", many)).hasSize(64);
        many.put("k64", "v");
        assertThat(invalid(() -> Fields.labels("labels", many)).getMessage()).isEqualTo("has 65 labels; at most 64 are allowed");
    }

    // ---- text

    @Test
    void text() {
        assertThat(Fields.text("description", null, 10)).isNull();
        assertThat(Fields.text("description", "", 10)).isNull();
        assertThat(Fields.text("description", "   ", 10)).isNull();
        assertThat(Fields.text("description", "  rack 12  ", 10)).isEqualTo("rack 12");
        assertThat(Fields.text("description", "\u00e9t\u00e9 \ud83d\ude80", 5)).isEqualTo("\u00e9t\u00e9 \ud83d\ude80");
        assertThat(invalid(() -> Fields.text("description", "abcdefghijk", 10)).getMessage())
                .isEqualTo("is 11 characters long; at most 10 are allowed");
        assertThat(invalid(() -> Fields.text("description", "a\nb", 10)).getMessage()).contains("control character");
        assertThat(invalid(() -> Fields.text("description", "a\u0085b", 10)).getMessage()).contains("control character");
        assertThat(invalid(() -> Fields.text("description", "a\ud83db", 10)).getMessage()).contains("lone surrogate");
        assertThat(invalid(() -> Fields.text("description", "a\ude80", 10)).getMessage()).contains("lone surrogate");
    }
}

package io.pxewings.inventory.query;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import io.pxewings.inventory.validation.InvalidField;

class LabelSelectorTest {

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "                                  | ''",
        "zone=a                            | zone=a",
        "zone==a                           | zone=a",
        "  zone  =  a  ,  rack != r1       | rack!=r1,zone=a",
        "zone=                             | zone=",
        "zone=,rack                        | rack,zone=",
        "rack in (r2, r1 ,r2)              | rack in (r1,r2)",
        "rack in(r1)                       | rack in (r1)",
        "rack notin (r1,r2)                | rack notin (r1,r2)",
        "rack                              | rack",
        "!rack                             | !rack",
        "! rack , zone                     | !rack,zone",
        "zone=a,zone=a                     | zone=a",
        "example.com/role=compute,Rack_1=R.12 | Rack_1=R.12,example.com/role=compute",
        "in in (in,notin)                  | in in (in,notin)",
        "'\tzone=a\n,\r\nrack'             | rack,zone=a",
        "b=1,a notin (x),a in (y),a,!c     | a,a in (y),a notin (x),b=1,!c",
    })
    void parsesToCanonicalText(String text, String canonical) {
        LabelSelector s = LabelSelector.parse(text);
        assertThat(s.toString()).isEqualTo(canonical);
        assertThat(LabelSelector.parse(s.toString())).isEqualTo(s);
    }

    @Test
    void nullAndBlankSelectEverything() {
        assertThat(LabelSelector.parse(null).isEmpty()).isTrue();
        assertThat(LabelSelector.parse(" \t").matches(Map.of("a", "b"))).isTrue();
        assertThat(LabelSelector.parse("").matches(null)).isTrue();
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "rack in (r1,r2               | expected ')' to close the set opened at character 9 at character 15, found the end",
        "rack in (r1 r2)              | expected ',' or ')' in the set opened at character 9 at character 13, found \"r\"",
        "rack in ()                   | expected a value: a set needs at least one at character 10, found \")\"",
        "rack in ( )                  | expected a value: a set needs at least one at character 11, found \")\"",
        "rack in (r1,)                | expected a label value at character 13, found \")\"",
        "rack in (,r1)                | expected a label value at character 10, found \",\"",
        "rack in r1                   | expected '(' to open the set of values at character 9, found \"r\"",
        "rack notin                   | expected '(' to open the set of values at character 11, found the end",
        "rack is r1                   | expected '=', '==', '!=', 'in', 'notin', ',' or the end of the selector after 'rack' at character 6, found \"i\"",
        "rack r1                      | expected '=', '==', '!=', 'in', 'notin', ',' or the end of the selector after 'rack' at character 6, found \"r\"",
        "rack=r1 zone=a               | expected ',' or the end of the selector at character 9, found \"z\"",
        "rack=r1,                     | expected a label key at character 9, found the end",
        ",rack                        | expected a label key at character 1, found \",\"",
        "rack=r1,,zone                | expected a label key at character 9, found \",\"",
        "=r1                          | expected a label key at character 1, found \"=\"",
        "!                            | expected a label key at character 2, found the end",
        "!rack=r1                     | expected ',' or the end of the selector after '!rack' at character 6, found \"=\"",
        "rack===r1                    | expected ',' or the end of the selector at character 7, found \"=\"",
        "rack=(r1)                    | expected ',' or the end of the selector at character 6, found \"(\"",
        "rack!r1                      | expected '=', '==', '!=', 'in', 'notin', ',' or the end of the selector after 'rack' at character 5, found \"!\"",
        "-rack=r1                     | at character 1: \"-rack\" is not a label key",
        "rack=r 1                     | expected ',' or the end of the selector at character 8, found \"1\"",
        "zone=a,Example.com/rack=r1   | at character 8: \"Example.com/rack\" is not a label key",
        "rack=-r1                     | at character 6: \"-r1\" is not a label value",
        "rack in (r1,r_)              | at character 13: \"r_\" is not a label value",
    })
    void rejectsWithWhatWasExpectedWhere(String text, String message) {
        assertThatThrownBy(() -> LabelSelector.parse(text))
                .isInstanceOfSatisfying(InvalidField.class, e -> {
                    assertThat(e.field()).isEqualTo("selector");
                    assertThat(e.getMessage()).startsWith(message);
                });
    }

    @Test
    void limitsRequirementsAndSetSizes() {
        List<String> reqs = new ArrayList<>();
        for (int i = 0; i < 32; i++) {
            reqs.add("k" + i);
        }
        assertThat(LabelSelector.parse(String.join(",", reqs)).requirements()).hasSize(32);
        reqs.add("k32");
        assertThatThrownBy(() -> LabelSelector.parse(String.join(",", reqs)))
                .hasMessage("the selector has more than 32 requirements");

        List<String> values = new ArrayList<>();
        for (int i = 0; i < 64; i++) {
            values.add("v" + i);
        }
        assertThat(LabelSelector.parse("k in (" + String.join(",", values) + ")").toString()).startsWith("k in (v0,v1,v10,");
        values.add("v64");
        assertThatThrownBy(() -> LabelSelector.parse("k notin (" + String.join(",", values) + ")"))
                .hasMessage("the selector has a set with more than 64 values");
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        // selector                    | {rack=r1,zone=a} | {rack=r2} | {} | {zone=} 
        "rack=r1                       | true  | false | false | false",
        "rack!=r1                      | false | true  | true  | true",
        "rack in (r1,r2)               | true  | true  | false | false",
        "rack notin (r1,r3)            | false | true  | true  | true",
        "rack                          | true  | true  | false | false",
        "!rack                         | false | false | true  | true",
        "zone=                         | false | false | false | true",
        "zone!=                        | true  | true  | true  | false",
        "rack,zone=a                   | true  | false | false | false",
        "rack notin (r1),!zone         | false | true  | true  | false",
        "''                            | true  | true  | true  | true",
    })
    void matchesWithKubernetesSemantics(String selector, boolean m1, boolean m2, boolean m3, boolean m4) {
        LabelSelector s = LabelSelector.parse(selector);
        assertThat(s.matches(Map.of("rack", "r1", "zone", "a"))).isEqualTo(m1);
        assertThat(s.matches(Map.of("rack", "r2"))).isEqualTo(m2);
        assertThat(s.matches(Map.of())).isEqualTo(m3);
        assertThat(s.matches(Map.of("zone", ""))).isEqualTo(m4);
    }

    // ---- SQL

    @Test
    void emptySelectorIsTrue() {
        assertThat(LabelSelector.parse("").toSql("m.labels", 3)).isEqualTo(new LabelSelector.SqlCondition("true", List.of()));
    }

    @Test
    void goldenSql() {
        LabelSelector.SqlCondition c = LabelSelector.parse(
                "zone=a, rack in (r2,r1), role notin (x), !retired, owner, env!=prod").toSql("labels", 3);
        assertThat(c.sql()).isEqualTo("not (labels @> cast(cast(?3 as text) as jsonb))"
                + " and jsonb_exists(labels, ?4)"
                + " and (labels @> cast(cast(?5 as text) as jsonb) or labels @> cast(cast(?6 as text) as jsonb))"
                + " and not jsonb_exists(labels, ?7)"
                + " and not (labels @> cast(cast(?8 as text) as jsonb))"
                + " and labels @> cast(cast(?9 as text) as jsonb)");
        assertThat(c.params()).containsExactly(
                "{\"env\":\"prod\"}",
                "owner",
                "{\"rack\":\"r1\"}", "{\"rack\":\"r2\"}",
                "retired",
                "{\"role\":\"x\"}",
                "{\"zone\":\"a\"}");
    }

    @Test
    void sqlForEachOperator() {
        assertThat(LabelSelector.parse("example.com/rack=").toSql("m.labels", 1))
                .isEqualTo(new LabelSelector.SqlCondition("m.labels @> cast(cast(?1 as text) as jsonb)", List.of("{\"example.com/rack\":\"\"}")));
        assertThat(LabelSelector.parse("rack notin (r1,r2)").toSql("labels", 1)).isEqualTo(new LabelSelector.SqlCondition(
                "not (labels @> cast(cast(?1 as text) as jsonb) or labels @> cast(cast(?2 as text) as jsonb))",
                List.of("{\"rack\":\"r1\"}", "{\"rack\":\"r2\"}")));
        assertThat(LabelSelector.parse("rack in (r1)").toSql("labels", 1).sql()).isEqualTo("(labels @> cast(cast(?1 as text) as jsonb))");
        assertThat(LabelSelector.parse("rack").toSql("labels", 1).sql()).doesNotContain(" ? ");
    }

    @Test
    void sqlRefusesAnUntrustworthyColumnOrFirstParameter() {
        LabelSelector s = LabelSelector.parse("a=b");
        for (String column : new String[] {"Labels", "labels; drop table m", "1labels", "", "la bels", "\"labels\""}) {
            assertThatThrownBy(() -> s.toSql(column, 1)).isInstanceOf(IllegalArgumentException.class);
        }
        assertThatThrownBy(() -> s.toSql(null, 1)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> s.toSql("labels", 0)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void jsonStringsAreEscaped() {
        assertThat(JsonText.string("a\"b\\c\u0000\u001f\n\u007f\u00e9")).isEqualTo("\"a\\\"b\\\\c\\u0000\\u001f\\u000a\u007f\u00e9\"");
    }

    // ---- round trip

    private static final String[] KEYS = {"rack", "zone", "role", "example.com/pool", "a.b_c-D"};
    private static final String[] VALUES = {"", "r1", "r2", "a", "X.y-z_0"};

    @Test
    void canonicalTextParsesBackToAnEqualSelectorThatMatchesTheSame() {
        Random rnd = new Random(20240611L);
        for (int round = 0; round < 3000; round++) {
            String text = randomSelector(rnd);
            LabelSelector s = LabelSelector.parse(text);
            LabelSelector again = LabelSelector.parse(s.toString());
            assertThat(again).as(text).isEqualTo(s);
            assertThat(again.toString()).isEqualTo(s.toString());
            assertThat(again.toSql("labels", 1)).isEqualTo(s.toSql("labels", 1));
            for (int m = 0; m < 5; m++) {
                Map<String, String> labels = randomLabels(rnd);
                boolean expected = reference(text, labels);
                assertThat(s.matches(labels)).as(text + " on " + labels).isEqualTo(expected);
                assertThat(again.matches(labels)).isEqualTo(expected);
            }
        }
    }

    private static String randomSelector(Random rnd) {
        int n = 1 + rnd.nextInt(4);
        List<String> reqs = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            String key = KEYS[rnd.nextInt(KEYS.length)];
            String sp = rnd.nextBoolean() ? " " : "";
            switch (rnd.nextInt(7)) {
                case 0 -> reqs.add(key + sp + "=" + sp + VALUES[rnd.nextInt(VALUES.length)]);
                case 1 -> reqs.add(key + "==" + VALUES[rnd.nextInt(VALUES.length)]);
                case 2 -> reqs.add(key + sp + "!=" + VALUES[rnd.nextInt(VALUES.length)]);
                case 3 -> reqs.add(key + " in" + sp + "(" + set(rnd) + ")");
                case 4 -> reqs.add(key + " notin (" + sp + set(rnd) + sp + ")");
                case 5 -> reqs.add(sp + key + sp);
                default -> reqs.add("!" + sp + key);
            }
        }
        return String.join(",", reqs);
    }

    private static String set(Random rnd) {
        List<String> vs = new ArrayList<>();
        int n = 1 + rnd.nextInt(3);
        for (int i = 0; i < n; i++) {
            vs.add(VALUES[1 + rnd.nextInt(VALUES.length - 1)]); // sets hold no empty value
        }
        return String.join(",", vs);
    }

    private static Map<String, String> randomLabels(Random rnd) {
        Map<String, String> labels = new HashMap<>();
        for (String key : KEYS) {
            if (rnd.nextInt(3) > 0) {
                labels.put(key, VALUES[rnd.nextInt(VALUES.length)]);
            }
        }
        return labels;
    }

    /** A second, naive reading of the generated selectors (enough for their fixed vocabulary), to check matches() against. */
    private static boolean reference(String text, Map<String, String> labels) {
        // Split on commas outside parentheses.
        List<String> reqs = new ArrayList<>();
        int depth = 0;
        int start = 0;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            depth += c == '(' ? 1 : c == ')' ? -1 : 0;
            if (c == ',' && depth == 0) {
                reqs.add(text.substring(start, i));
                start = i + 1;
            }
        }
        reqs.add(text.substring(start));
        for (String r : reqs) {
            String t = r.strip();
            boolean ok;
            if (t.startsWith("!") && !t.contains("=")) {
                ok = !labels.containsKey(t.substring(1).strip());
            } else if (t.contains("!=")) {
                String[] kv = t.split("!=", -1);
                ok = !kv[1].strip().equals(labels.get(kv[0].strip()));
            } else if (t.contains("=")) {
                String[] kv = t.replace("==", "=").split("=", -1);
                ok = kv[1].strip().equals(labels.get(kv[0].strip()));
            } else if (t.contains(" notin ")) {
                String key = t.substring(0, t.indexOf(" notin ")).strip();
                List<String> vs = setValues(t);
                ok = !labels.containsKey(key) || !vs.contains(labels.get(key));
            } else if (t.contains(" in")) {
                String key = t.substring(0, t.indexOf(" in")).strip();
                List<String> vs = setValues(t);
                ok = labels.containsKey(key) && vs.contains(labels.get(key));
            } else {
                ok = labels.containsKey(t);
            }
            if (!ok) {
                return false;
            }
        }
        return true;
    }

    private static List<String> setValues(String t) {
        List<String> vs = new ArrayList<>();
        for (String v : t.substring(t.indexOf('(') + 1, t.indexOf(')')).split(",")) {
            vs.add(v.strip());
        }
        return vs;
    }
}

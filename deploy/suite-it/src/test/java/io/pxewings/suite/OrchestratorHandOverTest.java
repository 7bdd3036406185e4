package io.pxewings.suite;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;

/**
 * Issue 16's scale-out promise: two orchestrator instances share the runs by partition, and
 * killing one ({@code kill -9}, mid-storm) hands its machines to the other, which finishes their
 * runs with no stage run twice. Runs the storm bench small, on the real broker, PostgreSQL and two
 * packaged orchestrators; its BMCs and agents are simulated at the Kafka level because two QEMU
 * machines cannot make a storm (the lab test proves the same exchanges with the real bmc-service
 * and agent).
 */
class OrchestratorHandOverTest {

    static final Pattern FIELD = Pattern.compile("(\\w+)=(\\S+)");

    @Test
    void killingOneOfTwoInstancesHandsItsMachinesToTheOtherAndEveryRunSucceedsOnce() throws Exception {
        Repo.Result r = Repo.run(Map.of("MACHINES", "240", "SITES", "4", "INSTANCES", "2", "KILL", "1", "TIMEOUT", "240",
                "PG_PORT", "26432", "KAFKA_PORT", "26092", "KAFKA_CONTROLLER_PORT", "26093"), Duration.ofMinutes(8),
                List.of("bench/orchestrator/run"));
        assertThat(r.exitCode()).as(r.output()).isZero();
        assertThat(r.output()).as("the kill happened during the storm").contains("== killed bench-1");
        String line = r.output().lines().filter(l -> l.startsWith("instances=2 ")).findFirst()
                .orElseThrow(() -> new AssertionError("no summary line:\n" + r.output()));
        Map<String, String> f = new HashMap<>();
        Matcher m = FIELD.matcher(line);
        while (m.find()) {
            f.put(m.group(1), m.group(2));
        }
        System.out.println("[hand-over] " + line);
        assertThat(f.get("succeeded")).as(line).isEqualTo("240");
        assertThat(f.get("failed")).as(line).isEqualTo("0");
        assertThat(f.get("stages_entered_twice")).as(line).isEqualTo("0");
        assertThat(f.get("machines_with_two_runs")).as(line).isEqualTo("0");
        assertThat(Integer.parseInt(f.get("max_writes_per_site"))).as(line).isLessThanOrEqualTo(Integer.parseInt(f.get("cap_image")));
        assertThat(Integer.parseInt(f.get("max_bmc_per_site"))).as(line).isLessThanOrEqualTo(Integer.parseInt(f.get("cap_bmc")));
        assertThat(Integer.parseInt(f.get("runs_finished_by_another_instance")))
                .as("runs the killed instance had moved were finished by the other: " + line).isPositive();
    }
}

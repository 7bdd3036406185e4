package io.pxewings.orchestrator.workflow;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.Test;

import io.pxewings.orchestrator.definitions.BuiltInWorkflows;
import io.pxewings.orchestrator.workflow.Command.AssignTask;
import io.pxewings.orchestrator.workflow.Command.Bmc;
import io.pxewings.orchestrator.workflow.Command.SetIntent;
import io.pxewings.orchestrator.workflow.Outcome.Kind;

/**
 * The built-in workflows' decisions, input by input, as the documents the orchestrator ships
 * ({@code workflows/*.yaml}) make them: what each stage sends, what completes it, what a failure does.
 */
class BuiltInWorkflowTest {

    final AtomicInteger ids = new AtomicInteger();
    final DataWorkflow wf = builtIn("provision", Map.of("await-first-boot", Duration.ofMinutes(5)), () -> "id" + ids.incrementAndGet());

    static DataWorkflow builtIn(String name, Map<String, Duration> timeouts, java.util.function.Supplier<String> ids) {
        return new DataWorkflow(WorkflowYaml.readShipped(BuiltInWorkflows.source(name)), 1, timeouts, 3, 2,
                new Backoff(Duration.ofSeconds(5), Duration.ofMinutes(2), new Random(1)), ids);
    }

    @Test
    void theShippedDocumentsAreTheBuiltInsAndNoOperatorCanUploadOneOfTheirNames() {
        assertThat(BuiltInWorkflows.NAMES).containsExactly("provision", "reinstall", "inventory", "deprovision");
        assertThat(wf.name()).isEqualTo("provision@1");
        assertThat(wf.stages()).containsExactly("power-on", "await-agent", "write-image", "configure", "hand-off", "await-first-boot", "done");
        assertThat(List.of(wf.runningLifecycle(), wf.doneLifecycle(), wf.needsImage(), wf.handsOff(), wf.needsBmc(), wf.startsFrom()))
                .containsExactly("provisioning", "provisioned", true, true, false, java.util.Set.of());
        DataWorkflow reinstall = builtIn("reinstall", Map.of(), () -> "r");
        assertThat(reinstall.stages()).isEqualTo(wf.stages());
        assertThat(reinstall.startsFrom()).containsExactly("provisioned");
        DataWorkflow inventory = builtIn("inventory", Map.of(), () -> "i");
        assertThat(inventory.stages()).containsExactly("power-on", "await-agent", "done");
        assertThat(List.of(inventory.runningLifecycle(), inventory.doneLifecycle(), inventory.needsImage(), inventory.handsOff()))
                .containsExactly("discovered", "inventoried", false, false);
        assertThat(inventory.startsFrom()).containsExactlyInAnyOrder("discovered", "inventoried", "ready", "failed");
        for (String name : BuiltInWorkflows.NAMES) {
            assertThatThrownBy(() -> WorkflowYaml.read(BuiltInWorkflows.source(name))).isInstanceOf(InvalidWorkflow.class)
                    .hasMessageContaining("is a built-in workflow's");
        }
    }
    final Target bios = new Target("m1", "52:54:00:00:00:01", false, true,
            Map.of("url", "http://img/api/v1/blobs/sha256:aa", "format", "raw.zst"), Map.of("root", "3", "kernel", "/boot/vmlinuz"), "3");

    static Position at(String stage, String waitingFor, String bootId) {
        return new Position(stage, 1, 1, waitingFor, bootId, false);
    }

    @Test
    void powerOnBootsTheRamOsOnceThenCyclesAndIsCompletedByTheCycleOnly() {
        Entry e = wf.enter("power-on", bios);
        assertThat(e.commands()).hasSize(3);
        assertThat(e.commands().get(0)).isEqualTo(new SetIntent("ramos", "provision@1: boot the RAM OS"));
        Bmc boot = (Bmc) e.commands().get(1);
        Bmc cycle = (Bmc) e.commands().get(2);
        assertThat(boot.action()).isEqualTo("set-boot-device");
        assertThat(boot.bootDevice()).isEqualTo("pxe");
        assertThat(boot.persistent()).isFalse();
        assertThat(boot.efi()).isFalse();
        assertThat(cycle.action()).isEqualTo("power-cycle");
        assertThat(e.waitFor()).isEqualTo(boot.commandId() + " " + cycle.commandId());

        Position p = at("power-on", e.waitFor(), null);
        assertThat(wf.on(new Input.BmcDone(boot.commandId()), p, bios).kind()).isEqualTo(Kind.IGNORE);
        assertThat(wf.on(new Input.BmcDone("other"), p, bios).kind()).isEqualTo(Kind.IGNORE);
        assertThat(wf.on(new Input.BmcDone(cycle.commandId()), p, bios).kind()).isEqualTo(Kind.NEXT);
        assertThat(wf.after("power-on")).isEqualTo("await-agent");
    }

    @Test
    void aMachineWithoutABmcPassesPowerOnButStillGetsTheRamOsIntent() {
        Entry e = wf.enter("power-on", new Target("m", "mac", true, false, Map.of(), Map.of(), "1"));
        assertThat(e.skip()).isTrue();
        assertThat(e.commands()).containsExactly(new SetIntent("ramos", "provision@1: no BMC, an operator powers it on"));
    }

    @Test
    void bmcFailuresAreRetriedWhenTransientAndFailTheRunOtherwise() {
        Position p = at("power-on", "b1 c1", null);
        Outcome lost = wf.on(new Input.BmcFailed("c1", "unreachable", "no answer"), p, bios);
        assertThat(lost.kind()).isEqualTo(Kind.RETRY);
        assertThat(lost.backoff()).isBetween(Duration.ofMillis(2500), Duration.ofSeconds(5));
        Outcome auth = wf.on(new Input.BmcFailed("b1", "auth-failed", "RAKP 2: unauthorized name"), p, bios);
        assertThat(auth.kind()).isEqualTo(Kind.FAIL);
        assertThat(auth.reason()).contains("auth-failed", "unauthorized name");
        Position third = new Position("power-on", 3, 1, "b1 c1", null, false);
        assertThat(wf.on(new Input.BmcFailed("c1", "unreachable", "x"), third, bios).kind()).isEqualTo(Kind.FAIL);
    }

    @Test
    void theAgentsReportCarriesTheBootIdAndCountsOnlyAfterThePowerCycle() {
        Outcome up = wf.on(new Input.AgentUp("boot-2"), at("await-agent", null, null), bios);
        assertThat(up.kind()).isEqualTo(Kind.NEXT);
        assertThat(up.bootId()).isEqualTo("boot-2");
        assertThat(wf.on(new Input.AgentUp("boot-1"), at("power-on", "b c", null), bios).kind()).isEqualTo(Kind.IGNORE);
    }

    @Test
    void writeConfigureAndHandOffAreAgentTasksCompletedByTheirIdOnly() {
        Entry write = wf.enter("write-image", bios);
        AssignTask task = (AssignTask) write.commands().get(0);
        assertThat(task.kind()).isEqualTo("write-image");
        assertThat(task.params()).containsEntry("url", "http://img/api/v1/blobs/sha256:aa");
        Position p = at("write-image", task.taskId(), "boot-2");
        assertThat(wf.on(new Input.TaskDone("an-old-task", "x"), p, bios).kind()).isEqualTo(Kind.IGNORE);
        assertThat(wf.on(new Input.TaskDone(task.taskId(), "wrote"), p, bios).kind()).isEqualTo(Kind.NEXT);

        Entry configure = wf.enter("configure", bios);
        assertThat(((AssignTask) configure.commands().get(0)).params()).isEqualTo(Map.of("root", "3"));

        // The hand-off makes the installed system the boot target before the kexec: a later reboot boots the disk.
        Entry hand = wf.enter("hand-off", bios);
        assertThat(hand.commands()).hasSize(3);
        assertThat(hand.commands().get(0)).isEqualTo(new SetIntent("local", "provision@1: hand-off"));
        Bmc disk = (Bmc) hand.commands().get(1);
        assertThat(List.of(disk.action(), disk.bootDevice(), disk.persistent())).containsExactly("set-boot-device", "disk", true);
        AssignTask kexec = (AssignTask) hand.commands().get(2);
        assertThat(kexec.kind()).isEqualTo("kexec");
        assertThat(kexec.params()).isEqualTo(Map.of("root", "3", "kernel", "/boot/vmlinuz"));
        // Completed by the kexec task; the persistent boot device is waited for too: a BMC that refuses it fails the hand-off.
        assertThat(hand.waitFor()).isEqualTo(disk.commandId() + " " + kexec.taskId());
        Position at = at("hand-off", hand.waitFor(), "boot-2");
        assertThat(wf.on(new Input.BmcDone(disk.commandId()), at, bios).kind()).isEqualTo(Kind.IGNORE);
        assertThat(wf.on(new Input.TaskDone(kexec.taskId(), "kexec armed"), at, bios).kind()).isEqualTo(Kind.NEXT);
        assertThat(wf.on(new Input.AgentUp("boot-3"), at, bios).kind()).as("the agent is gone after a kexec by design").isEqualTo(Kind.IGNORE);
    }

    @Test
    void aUefiMachineIsHandedOffByARebootToDiskThroughItsBmcUnlessAKexecIsAsked() {
        Target uefi = new Target("m2", "52:54:00:00:00:02", true, true, Map.of(), Map.of("root", "3", "kernel", "/boot/vmlinuz"), "3");
        assertThat(uefi.handOff()).as("auto").isEqualTo("reboot");
        Entry hand = wf.enter("hand-off", uefi);
        assertThat(hand.commands()).hasSize(3);
        Bmc disk = (Bmc) hand.commands().get(1);
        assertThat(List.of(disk.action(), disk.bootDevice(), disk.persistent(), disk.efi())).containsExactly("set-boot-device", "disk", true, true);
        Bmc cycle = (Bmc) hand.commands().get(2);
        assertThat(cycle.action()).isEqualTo("power-cycle");
        assertThat(hand.waitFor()).isEqualTo(disk.commandId() + " " + cycle.commandId());
        Position p = at("hand-off", hand.waitFor(), "b");
        assertThat(wf.on(new Input.BmcDone(disk.commandId()), p, uefi).kind()).isEqualTo(Kind.IGNORE);
        assertThat(wf.on(new Input.BmcDone(cycle.commandId()), p, uefi).kind()).isEqualTo(Kind.NEXT);
        assertThat(wf.on(new Input.BmcFailed(disk.commandId(), "refused", "no such device"), p, uefi).kind())
                .as("a boot device the BMC refuses fails the hand-off: the cycle would boot the RAM OS again").isEqualTo(Kind.FAIL);

        // Without a BMC: the agent reboots, and the intent local gives the disk the next boot.
        Target bare = new Target("m3", "52:54:00:00:00:03", true, false, Map.of(), Map.of("root", "3"), "3");
        Entry own = wf.enter("hand-off", bare);
        AssignTask reboot = (AssignTask) own.commands().get(1);
        assertThat(List.of(reboot.kind(), reboot.params())).containsExactly("reboot", Map.of());
        assertThat(own.waitFor()).isEqualTo(reboot.taskId());

        Target asked = new Target("m2", "52:54:00:00:00:02", true, true, Map.of(), Map.of("root", "3"), "3", Target.handOff("kexec", true));
        assertThat(((AssignTask) wf.enter("hand-off", asked).commands().get(2)).kind()).isEqualTo("kexec");
        assertThat(Target.handOff("auto", false)).isEqualTo("kexec");
        assertThat(Target.handOff("reboot", false)).isEqualTo("reboot");
    }

    @Test
    void taskFailuresAreClassified() {
        Position p = at("write-image", "t1", "boot-2");
        Outcome digest = wf.on(new Input.TaskFailed("t1", "download digest mismatch: sha256 ab, expected cd"), p, bios);
        assertThat(digest.kind()).isEqualTo(Kind.RETRY);
        assertThat(digest.backoff()).isZero();
        Position second = new Position("write-image", 2, 1, "t1", "boot-2", false);
        assertThat(wf.on(new Input.TaskFailed("t1", "download digest mismatch: x"), second, bios).kind()).isEqualTo(Kind.FAIL);
        assertThat(wf.on(new Input.TaskFailed("t1", "no disk matches the hints and holds 67108864 bytes; disks: none"), p, bios).kind())
                .isEqualTo(Kind.MAINTENANCE);
        assertThat(wf.on(new Input.TaskFailed("t1", "the wget stage failed (exit 1): Connection refused"), p, bios).kind())
                .isEqualTo(Kind.RETRY);
        assertThat(wf.on(new Input.TaskFailed("t1", "format 'iso' is none of raw, raw.gz, raw.xz, raw.zst"), p, bios).kind())
                .isEqualTo(Kind.FAIL);
    }

    @Test
    void aNewBootDuringAWriteGivesTheNewAgentANewTask() {
        Outcome o = wf.on(new Input.AgentUp("boot-3"), at("write-image", "t1", "boot-2"), bios);
        assertThat(o.kind()).isEqualTo(Kind.RETRY);
        assertThat(o.bootId()).isEqualTo("boot-3");
        assertThat(wf.on(new Input.AgentUp("boot-2"), at("write-image", "t1", "boot-2"), bios).kind()).isEqualTo(Kind.IGNORE);
        assertThat(wf.on(new Input.AgentUp("boot-3"), at("await-first-boot", null, "boot-2"), bios).kind()).isEqualTo(Kind.IGNORE);
    }

    @Test
    void onlyTheFirstBootOfThisRunsRamOsBootDeclaresSuccess() {
        Position p = at("await-first-boot", null, "boot-2");
        assertThat(wf.on(new Input.FirstBooted("boot-1", "h"), p, bios).kind()).isEqualTo(Kind.IGNORE);
        Outcome done = wf.on(new Input.FirstBooted("boot-2", "node-7"), p, bios);
        assertThat(done.kind()).isEqualTo(Kind.DONE);
        assertThat(done.reason()).contains("node-7");
        // A kexec that killed the agent before its report: the first boot still ends the run.
        assertThat(wf.on(new Input.FirstBooted("boot-2", null), at("hand-off", "k1", "boot-2"), bios).kind()).isEqualTo(Kind.DONE);
        assertThat(wf.on(new Input.FirstBooted("boot-2", null), at("write-image", "t", "boot-2"), bios).kind()).isEqualTo(Kind.IGNORE);
    }

    @Test
    void deadlines() {
        // A silent first boot: one power cycle to disk, then failure.
        Outcome fallback = wf.on(new Input.DeadlinePassed(), at("await-first-boot", null, "boot-2"), bios);
        assertThat(fallback.kind()).isEqualTo(Kind.STAY);
        assertThat(((Bmc) fallback.commands().get(0)).action()).isEqualTo("power-cycle");
        Position after = new Position("await-first-boot", 1, 1, null, "boot-2", true);
        assertThat(wf.on(new Input.DeadlinePassed(), after, bios).reason()).contains("even after a power cycle to disk");
        // No agent: the whole run again, up to its attempts.
        assertThat(wf.on(new Input.DeadlinePassed(), at("await-agent", null, null), bios).kind()).isEqualTo(Kind.RESTART);
        assertThat(wf.on(new Input.DeadlinePassed(), new Position("await-agent", 1, 2, null, null, false), bios).kind()).isEqualTo(Kind.FAIL);
        // A task stage: tried again with backoff, then failed.
        Outcome late = wf.on(new Input.DeadlinePassed(), at("configure", "t", "b"), bios);
        assertThat(late.kind()).isEqualTo(Kind.RETRY);
        assertThat(late.reason()).contains("no answer within 600 s");
    }

    @Test
    void deprovisionWipesInTheRamOsThenPowersOff() {
        DataWorkflow d = builtIn("deprovision", Map.of(), () -> "d" + ids.incrementAndGet());
        assertThat(d.stages()).containsExactly("power-on", "await-agent", "wipe", "power-off", "done");
        assertThat(d.enter("power-on", bios).commands().get(0)).isEqualTo(new SetIntent("ramos", "deprovision@1: boot the RAM OS"));
        AssignTask wipe = (AssignTask) d.enter("wipe", bios).commands().get(0);
        assertThat(wipe.kind()).isEqualTo("wipe");
        assertThat(wipe.params()).isEqualTo(Map.of("mode", "metadata"));
        Entry off = d.enter("power-off", bios);
        Bmc bmcOff = (Bmc) off.commands().get(0);
        assertThat(bmcOff.action()).isEqualTo("power-off");
        assertThat(d.on(new Input.BmcDone(bmcOff.commandId()), at("power-off", off.waitFor(), "b"), bios).kind()).isEqualTo(Kind.NEXT);
        // Without a BMC the agent powers the machine off.
        Entry agentOff = d.enter("power-off", new Target("m", "mac", false, false, Map.of(), Map.of(), ""));
        assertThat(((AssignTask) agentOff.commands().get(0)).kind()).isEqualTo("poweroff");
        // A new boot during the wipe gets a new task.
        assertThat(d.on(new Input.AgentUp("b2"), at("wipe", wipe.taskId(), "b1"), bios).kind()).isEqualTo(Kind.RETRY);
        assertThat(List.of(d.runningLifecycle(), d.doneLifecycle(), String.valueOf(d.needsImage()))).containsExactly("deprovisioning", "ready", "false");
        assertThat(d.needsBmc()).as("without a BMC the agent powers off").isFalse();
        assertThat(d.handsOff()).isFalse();
    }

    @Test
    void backoffGrowsIsCappedAndJittered() {
        Backoff b = new Backoff(Duration.ofSeconds(5), Duration.ofSeconds(30), new Random(7));
        assertThat(b.before(2)).isBetween(Duration.ofMillis(2500), Duration.ofSeconds(5));
        assertThat(b.before(3)).isBetween(Duration.ofSeconds(5), Duration.ofSeconds(10));
        assertThat(b.before(10)).isBetween(Duration.ofSeconds(15), Duration.ofSeconds(30));
    }
}

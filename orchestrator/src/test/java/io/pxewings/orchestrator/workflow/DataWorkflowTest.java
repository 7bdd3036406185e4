package io.pxewings.orchestrator.workflow;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.Test;

import io.pxewings.orchestrator.workflow.Command.AssignTask;
import io.pxewings.orchestrator.workflow.Command.Bmc;
import io.pxewings.orchestrator.workflow.Command.SetIntent;
import io.pxewings.orchestrator.workflow.Outcome.Kind;

/**
 * Workflows written as YAML: what the reader refuses (every problem at once, by path), and what a
 * stored workflow's stages send and do, decision by decision, against the shipped examples.
 */
class DataWorkflowTest {

    final AtomicInteger ids = new AtomicInteger();
    final Target bios = new Target("m1", "52:54:00:00:00:01", false, true,
            Map.of("url", "http://img/api/v1/blobs/sha256:aa", "format", "raw.zst"), Map.of("root", "3", "kernel", "/boot/vmlinuz"), "3");
    final Target noBmc = new Target("m2", "52:54:00:00:00:02", true, false, Map.of(), Map.of(), "1");

    DataWorkflow load(String file, int version) throws Exception {
        return new DataWorkflow(WorkflowYaml.read(Files.readString(Path.of("examples/workflows", file))), version,
                Map.of("power-on", Duration.ofMinutes(3), "await-agent", Duration.ofMinutes(10), "await-first-boot", Duration.ofMinutes(10)),
                3, 2, new Backoff(Duration.ofSeconds(5), Duration.ofMinutes(2), new Random(1)), () -> "id" + ids.incrementAndGet());
    }

    static Position at(String stage, int stageTry, String waitingFor, String bootId) {
        return new Position(stage, stageTry, 1, waitingFor, bootId, false);
    }

    @Test
    void theWipeExampleZeroesWithItsOwnTimeoutAndSendsHardwareErrorsAndFinalFailuresToMaintenance() throws Exception {
        DataWorkflow wf = load("wipe-zero.yaml", 3);
        assertThat(wf.name()).isEqualTo("wipe-zero@3");
        assertThat(wf.stages()).containsExactly("power-on", "await-agent", "wipe", "power-off", "done");
        assertThat(List.of(wf.runningLifecycle(), wf.doneLifecycle())).containsExactly("deprovisioning", "ready");
        assertThat(wf.needsImage()).isFalse();
        assertThat(wf.needsBmc()).as("power-off has only a BMC command").isTrue();
        assertThat(wf.gates("power-off")).containsExactly(Gate.BMC_OPERATIONS);
        assertThat(wf.gates("power-on")).containsExactlyInAnyOrder(Gate.POWER_ON_RATE, Gate.BMC_OPERATIONS);

        // The built-in steps are the built-ins': power-on sends the RAM-OS intent, the PXE boot device and a cycle.
        Entry power = wf.enter("power-on", bios);
        assertThat(power.commands().get(0)).isEqualTo(new SetIntent("ramos", "wipe-zero@3: boot the RAM OS"));
        assertThat(power.timeout()).isEqualTo(Duration.ofMinutes(3));
        assertThat(wf.enter("await-agent", bios).timeout()).as("the document's timeout over the default").isEqualTo(Duration.ofMinutes(15));

        Entry wipe = wf.enter("wipe", bios);
        AssignTask task = (AssignTask) wipe.commands().get(0);
        assertThat(List.of(task.kind(), task.params())).containsExactly("wipe", Map.of("mode", "zero"));
        assertThat(wipe.waitFor()).isEqualTo(task.taskId());
        assertThat(wipe.timeout()).isEqualTo(Duration.ofHours(6));

        Position p = at("wipe", 1, task.taskId(), "b1");
        assertThat(wf.on(new Input.TaskDone(task.taskId(), "wiped"), p, bios).kind()).isEqualTo(Kind.NEXT);
        assertThat(wf.on(new Input.TaskFailed(task.taskId(), "the dd stage failed: Input/output error"), p, bios).kind())
                .isEqualTo(Kind.MAINTENANCE);
        // retry: 2: a deadline once is tried again, twice goes where on-failure says.
        assertThat(wf.on(new Input.DeadlinePassed(), p, bios).kind()).isEqualTo(Kind.RETRY);
        Outcome last = wf.on(new Input.DeadlinePassed(), at("wipe", 2, task.taskId(), "b1"), bios);
        assertThat(last.kind()).isEqualTo(Kind.MAINTENANCE);
        assertThat(last.reason()).contains("2 tries");

        Entry off = wf.enter("power-off", bios);
        Bmc cmd = (Bmc) off.commands().get(0);
        assertThat(List.of(cmd.action(), off.waitFor())).containsExactly("power-off", cmd.commandId());
        assertThat(wf.on(new Input.BmcFailed(cmd.commandId(), "refused", "no"), at("power-off", 1, off.waitFor(), "b1"), bios).kind())
                .as("on-failure is the stage's own: power-off fails the run").isEqualTo(Kind.FAIL);
    }

    @Test
    void theRebootExampleHandsOffByTheFirmwareAndSucceedsOnlyOnThisBootsPhoneHome() throws Exception {
        DataWorkflow wf = load("provision-reboot.yaml", 1);
        assertThat(wf.needsImage()).isTrue();
        assertThat(wf.needsBmc()).as("every BMC command shares its stage with a task").isFalse();
        assertThat(wf.gates("write-image")).containsExactly(Gate.IMAGE_STREAMS);
        AssignTask write = (AssignTask) wf.enter("write-image", bios).commands().get(0);
        assertThat(write.params()).isEqualTo(bios.write());
        assertThat(((AssignTask) wf.enter("configure", bios).commands().get(0)).params()).isEqualTo(Map.of("root", "3"));

        Entry handOff = wf.enter("hand-off", bios);
        assertThat(handOff.commands()).hasSize(3);
        assertThat(handOff.commands().get(0)).isEqualTo(new SetIntent("local", "provision-reboot@1: hand-off"));
        Bmc disk = (Bmc) handOff.commands().get(1);
        assertThat(List.of(disk.action(), disk.bootDevice(), disk.persistent(), disk.efi())).containsExactly("set-boot-device", "disk", true, false);
        AssignTask reboot = (AssignTask) handOff.commands().get(2);
        assertThat(reboot.kind()).isEqualTo("reboot");
        assertThat(handOff.waitFor()).isEqualTo(disk.commandId() + " " + reboot.taskId());

        Position p = at("hand-off", 1, handOff.waitFor(), "boot-7");
        assertThat(wf.on(new Input.BmcDone(disk.commandId()), p, bios).kind()).as("the task completes the stage").isEqualTo(Kind.IGNORE);
        assertThat(wf.on(new Input.TaskDone(reboot.taskId(), "rebooting"), p, bios).kind()).isEqualTo(Kind.NEXT);
        assertThat(wf.on(new Input.FirstBooted("boot-6", "old"), at("await-first-boot", 1, null, "boot-7"), bios).kind()).isEqualTo(Kind.IGNORE);
        assertThat(wf.on(new Input.FirstBooted("boot-7", "n1"), at("await-first-boot", 1, null, "boot-7"), bios).kind()).isEqualTo(Kind.DONE);
        assertThat(wf.on(new Input.FirstBooted("boot-7", "n1"), p, bios).kind()).as("a phone-home before the reboot task's report")
                .isEqualTo(Kind.DONE);

        // Without a BMC the stage still sets the intent and reboots: the intent alone makes the next boot the disk's.
        Entry bare = wf.enter("hand-off", noBmc);
        assertThat(bare.commands()).hasSize(2);
        assertThat(bare.waitFor()).isEqualTo(((AssignTask) bare.commands().get(1)).taskId());
    }

    @Test
    void aStageThatOnlySetsAnIntentIsPassed() {
        DataWorkflow wf = new DataWorkflow(WorkflowYaml.read("""
                name: park
                lifecycle: {running: deprovisioning, done: ready}
                stages:
                  - {name: boot-local, intent: local}
                """), 1, Map.of(), 3, 2, new Backoff(Duration.ofSeconds(1), Duration.ofSeconds(2), new Random(1)), () -> "x");
        Entry e = wf.enter("boot-local", bios);
        assertThat(e.skip()).isTrue();
        assertThat(e.commands()).containsExactly(new SetIntent("local", "park@1: boot-local"));
        assertThat(wf.needsBmc()).isFalse();
    }

    @Test
    void aBadDocumentGetsEveryProblemByPathAndNothingElse() {
        assertThatThrownBy(() -> WorkflowYaml.read("""
                name: provision
                colour: blue
                lifecycle: {running: provisioned, done: ready}
                starts-from: [maintenance]
                stages:
                  - power-on
                  - name: wipe
                    task: wipe
                    params: {mode: shred}
                    timeout: 10 minutes
                    retry: 0
                  - name: flash
                    task: write-image
                    params: {mode: zero}
                  - name: nothing
                  - name: power-on
                  - name: halt
                    bmc: [{action: set-boot-device}]
                    completes-on: agent.task.completed
                  - {name: await-agent, task: wipe}
                  - await-first-boot
                  - reboot-now
                  - name: no
                    intent: local
                """)).isInstanceOfSatisfying(InvalidWorkflow.class, e -> assertThat(e.problems()).containsExactlyInAnyOrder(
                "name: 'provision' is a built-in workflow's; choose another",
                "colour: unknown key (known: [description, lifecycle, name, stages, starts-from])",
                "lifecycle.running: 'provisioned' is none of [discovered, provisioning, deprovisioning]",
                "starts-from: 'maintenance' is none of [discovered, inventoried, ready, provisioning, provisioned, deprovisioning, failed]",
                "stages[1].params.mode: 'shred' is none of [discard, metadata, zero]",
                "stages[1].timeout: an ISO-8601 duration such as PT15M",
                "stages[1].retry: the number of tries for transient failures and deadlines, 1 to 10",
                "stages[2].params: only the wipe task takes parameters (the image tasks' come from the run's image and machine)",
                "stages[2]: the write-image task goes in a stage named write-image, and only there (the site's image-stream cap counts"
                        + " runs by stage name)",
                "stages[3]: stage 'nothing' sends nothing: set an intent, bmc commands, a task or a choose",
                "stages[4].name: 'power-on' is used twice",
                "stages[5].bmc[0].device: set-boot-device names one",
                "stages[5].completes-on: this stage is completed by bmc.command.completed, given what it sends",
                "stages[6]: 'await-agent' is a built-in step: give it a timeout, a retry or an on-failure, nothing to send",
                "stages[8]: 'reboot-now' is no built-in step ([power-on, await-agent, await-first-boot]); a stage of your own is a mapping",
                "stages[9].name: a string (YAML reads a bare yes, no, on or off as true or false: quote it)",
                "stages: await-agent comes right after power-on (a report is the run's only if it follows the run's power cycle)",
                "stages: wipe assigns an agent task, so it comes after await-agent",
                "stages: flash assigns an agent task, so it comes after await-agent",
                "stages: await-first-boot comes right after the stage that hands off (task kexec or reboot)"));
        assertThatThrownBy(() -> WorkflowYaml.read("name: [unclosed")).isInstanceOfSatisfying(InvalidWorkflow.class,
                e -> assertThat(e.problems().get(0)).startsWith("not YAML: "));
        assertThatThrownBy(() -> WorkflowYaml.read("- a list")).isInstanceOf(InvalidWorkflow.class);
    }

    @Test
    void aChooseSendsTheFirstCaseThatAppliesAndIsCheckedLikeTheRest() {
        DataWorkflow wf = new DataWorkflow(WorkflowYaml.read("""
                name: park-off
                lifecycle: {running: deprovisioning, done: ready}
                stages:
                  - power-on
                  - await-agent
                  - name: halt
                    intent: local
                    choose:
                      - when: {bmc: true}
                        bmc: [{action: soft-off}]
                      - task: poweroff
                """), 1, Map.of(), 3, 2, new Backoff(Duration.ofSeconds(1), Duration.ofSeconds(2), new Random(1)), () -> "c");
        Entry withBmc = wf.enter("halt", bios);
        assertThat(withBmc.commands()).hasSize(2);
        assertThat(((Bmc) withBmc.commands().get(1)).action()).isEqualTo("soft-off");
        Entry without = wf.enter("halt", noBmc);
        assertThat(((AssignTask) without.commands().get(1)).kind()).isEqualTo("poweroff");
        assertThat(wf.needsBmc()).as("the case without a BMC assigns a task").isFalse();
        assertThat(wf.handsOff()).isFalse();

        DataWorkflow bmcOnly = new DataWorkflow(WorkflowYaml.read("""
                name: cycle
                lifecycle: {running: deprovisioning, done: ready}
                stages:
                  - name: cycle
                    choose:
                      - when: {bmc: true}
                        bmc: [{action: power-cycle}]
                """), 1, Map.of(), 3, 2, new Backoff(Duration.ofSeconds(1), Duration.ofSeconds(2), new Random(1)), () -> "c");
        assertThat(bmcOnly.needsBmc()).as("nothing would happen to a machine without a BMC").isTrue();

        assertThatThrownBy(() -> WorkflowYaml.read("""
                name: bad-choose
                lifecycle: {running: provisioning, done: provisioned}
                stages:
                  - power-on
                  - await-agent
                  - name: write-image
                    task: write-image
                  - name: halt
                    task: wipe
                    choose:
                      - task: poweroff
                      - when: {bmc: maybe, hand-off: pxe, colour: red}
                        bmc: [{action: power-off}]
                      - when: {}
                      - 7
                  - name: go
                    choose:
                      - when: {hand-off: reboot}
                        task: reboot
                  - await-first-boot
                """)).isInstanceOfSatisfying(InvalidWorkflow.class, e -> assertThat(e.problems()).containsExactlyInAnyOrder(
                "stages[3].choose[0].task: the stage assigns wipe already (a stage completes on one task)",
                "stages[3].choose[1]: never applies, a case before it has no when",
                "stages[3].choose[1].when.colour: unknown key (known: [bmc, hand-off])",
                "stages[3].choose[1].when.bmc: true or false",
                "stages[3].choose[1].when.hand-off: 'pxe' is none of [kexec, reboot]",
                "stages[3].choose[1]: a case with bmc commands says when: {bmc: true} (a machine without a BMC gets none)",
                "stages[3].choose[2]: never applies, a case before it has no when",
                "stages[3].choose[2].when: a mapping with bmc (true or false) and/or hand-off (kexec or reboot)",
                "stages[3].choose[2]: sends nothing: bmc commands or a task",
                "stages[3].choose[3]: a mapping with when, bmc, task or params"));
    }
}

package io.pxewings.cli;

import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;

import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

/** {@code ./wings power MACHINE ACTION}: through bmc-service, waiting for the BMC's answer. */
@Command(name = "power", mixinStandardHelpOptions = true, description = "Power a machine on, off or through a cycle through its BMC, or read its power state live.")
public class PowerCommand implements Runnable {

    @ParentCommand
    WingsCli root;

    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Mixin
    Output output;

    @Parameters(index = "0", paramLabel = "MACHINE", description = "machine id, boot MAC or lab machine (lab-N)")
    String machine;

    @Parameters(index = "1", paramLabel = "ACTION", description = "on, off, cycle, soft-off, hard-reset or status")
    String action;

    @Override
    public void run() {
        if (!action.matches("on|off|cycle|soft-off|hard-reset|status")) {
            throw new picocli.CommandLine.ParameterException(spec.commandLine(),
                    "ACTION: on, off, cycle, soft-off, hard-reset or status, got '" + action + "'");
        }
        String id = MachineRef.id(machine, root.endpoints.labDir(), root.inventory());
        JsonNode answer = action.equals("status")
                ? root.bmc().get("/api/v1/machines/" + id + "/power?live=true")
                : root.bmc().post("/api/v1/machines/" + id + "/power?wait=60&requestedBy=wings-cli", Map.of("action", action), Map.of());
        if (output.json()) {
            output.print(answer);
        } else if (action.equals("status")) {
            output.line(String.format("%s: power %s (%s, %s)", machine, answer.path("state").asText(), answer.path("source").asText(),
                    answer.path("bmc").path("protocol").asText()));
        } else {
            output.line(String.format("%s: %s %s, power %s%s", machine, answer.path("action").asText(action), answer.path("state").asText(),
                    answer.path("powerState").asText("unknown"), Text.str(answer, "reason") == null ? "" : " (" + answer.path("reason").asText() + ")"));
        }
        if (answer.path("state").asText().equals("failed")) {
            throw new CliException(CliException.REFUSED, action + " failed: " + answer.path("message").asText(answer.path("reason").asText()));
        }
    }
}

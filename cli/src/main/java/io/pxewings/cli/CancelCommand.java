package io.pxewings.cli;

import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;

import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

/** {@code ./wings cancel ID}. */
@Command(name = "cancel", mixinStandardHelpOptions = true, description = "Cancel a queued or running run (its machine is left as it is, the run ended).")
public class CancelCommand implements Runnable {

    @ParentCommand
    WingsCli root;

    @Mixin
    Output output;

    @Parameters(paramLabel = "RUN", description = "the run's id")
    String id;

    @Override
    public void run() {
        JsonNode run = root.orchestrator().post("/api/v1/runs/" + RunCommand.checked(id) + "/cancel?by=wings-cli", Map.of(), Map.of());
        if (output.json()) {
            output.print(run);
        } else {
            output.line("run " + run.path("id").asText() + " " + run.path("status").asText() + " in stage " + run.path("stage").asText());
        }
    }
}

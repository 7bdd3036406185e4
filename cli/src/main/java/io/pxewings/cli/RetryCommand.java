package io.pxewings.cli;

import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;

import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

/** {@code ./wings retry ID [--stage S]}. */
@Command(name = "retry", mixinStandardHelpOptions = true, description = "Run a failed or cancelled run again, as a new attempt, from a stage.")
public class RetryCommand implements Runnable {

    @ParentCommand
    WingsCli root;

    @Mixin
    Output output;

    @Parameters(paramLabel = "RUN", description = "the run's id")
    String id;

    @Option(names = "--stage", description = "the stage to start from (default: the one it ended in)")
    String stage;

    @Override
    public void run() {
        StringBuilder path = new StringBuilder("/api/v1/runs/").append(RunCommand.checked(id)).append("/retry?by=wings-cli");
        MachinesCommand.param(path, "stage", stage);
        JsonNode run = root.orchestrator().post(path.toString(), Map.of(), Map.of());
        if (output.json()) {
            output.print(run);
        } else {
            output.line("run " + run.path("id").asText() + " " + run.path("status").asText() + " from stage " + run.path("stage").asText()
                    + ", attempt " + run.path("attempt").asInt());
        }
    }
}

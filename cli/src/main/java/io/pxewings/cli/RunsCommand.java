package io.pxewings.cli;

import com.fasterxml.jackson.databind.JsonNode;

import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

/** {@code ./wings runs}: runs, newest first. */
@Command(name = "runs", mixinStandardHelpOptions = true, description = "List runs, newest first.")
public class RunsCommand implements Runnable {

    @ParentCommand
    WingsCli root;

    @Mixin
    Output output;

    @Option(names = "--machine", description = "one machine's (id, MAC or lab-N)")
    String machine;

    @Option(names = "--site", description = "one site's")
    String site;

    @Option(names = "--status", description = "queued, running, succeeded, failed or cancelled")
    String status;

    @Option(names = "--limit", defaultValue = "50", description = "at most this many (1 to 1000, default ${DEFAULT-VALUE})")
    int limit;

    @Override
    public void run() {
        StringBuilder q = new StringBuilder("/api/v1/runs?limit=").append(limit);
        MachinesCommand.param(q, "machine", machine == null ? null : MachineRef.key(machine, root.endpoints.labDir()));
        MachinesCommand.param(q, "site", site);
        MachinesCommand.param(q, "status", status);
        JsonNode runs = root.orchestrator().get(q.toString()).path("runs");
        if (output.json()) {
            runs.forEach(output::print);
            return;
        }
        Table t = new Table("RUN", "MAC", "SITE", "WORKFLOW", "IMAGE", "STATUS", "STAGE", "TRY", "STARTED", "TOOK", "ERROR");
        for (JsonNode r : runs) {
            boolean ended = !r.path("status").asText().matches("queued|running");
            t.row(Text.str(r, "id"), Text.str(r, "mac"), Text.str(r, "site"), Text.str(r, "workflow"), Text.str(r, "image"),
                    Text.str(r, "status"), Text.str(r, "stage"), r.path("attempt").asInt() + "." + r.path("stageTry").asInt(),
                    Text.time(r, "createdAt"), ended ? Text.since(Text.str(r, "createdAt"), Text.str(r, "updatedAt")) : null,
                    Text.cut(Text.str(r, "error"), 60));
        }
        output.print(t);
    }
}

package io.pxewings.cli;

import java.util.regex.Pattern;

import com.fasterxml.jackson.databind.JsonNode;

import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

/** {@code ./wings run ID}: one run and its stage timeline. */
@Command(name = "run", mixinStandardHelpOptions = true, description = "Show a run: where it is, and every stage it entered, with times from its start.")
public class RunCommand implements Runnable {

    static final Pattern ID = Pattern.compile("[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}");

    @ParentCommand
    WingsCli root;

    @Mixin
    Output output;

    @Parameters(paramLabel = "RUN", description = "the run's id")
    String id;

    @Override
    public void run() {
        JsonNode view = root.orchestrator().get("/api/v1/runs/" + checked(id));
        if (output.json()) {
            output.print(view);
            return;
        }
        JsonNode r = view.path("run");
        output.line(String.format("run %s: %s of %s (%s), %s%s", r.path("id").asText(), r.path("workflow").asText(), r.path("mac").asText(),
                r.path("machineId").asText(), r.path("status").asText(),
                Text.str(r, "image") == null ? "" : ", image " + r.path("image").asText()));
        output.line(String.format("stage %s, try %d, attempt %d%s%s", r.path("stage").asText(), r.path("stageTry").asInt(), r.path("attempt").asInt(),
                Text.str(r, "deadline") == null ? "" : ", deadline " + Text.time(r, "deadline"),
                view.path("queuePosition").isNumber() ? ", queue position " + view.path("queuePosition").asInt() : ""));
        if (Text.str(r, "error") != null) {
            output.line("error: " + r.path("error").asText());
        }
        String start = Text.str(r, "createdAt");
        Table t = new Table("AT", "+", "STAGE", "WHAT", "BY", "DETAIL");
        for (JsonNode h : view.path("history")) {
            // BY: the orchestrator instance that wrote the line; a change of it mid-run is a hand-over.
            t.row(Text.time(h, "at"), Text.since(start, Text.str(h, "at")), Text.str(h, "stage"), Text.str(h, "what"),
                    Text.str(h, "instance") == null ? "-" : Text.str(h, "instance"), Text.cut(Text.str(h, "detail"), 80));
        }
        output.print(t);
    }

    static String checked(String id) {
        if (!ID.matcher(id).matches()) {
            throw new CliException(CliException.REFUSED, "'" + id + "' is not a run id (a UUID; ./wings runs lists them)");
        }
        return id.toLowerCase(java.util.Locale.ROOT);
    }
}

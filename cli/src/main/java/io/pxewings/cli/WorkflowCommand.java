package io.pxewings.cli;

import java.io.IOException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;

import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

/** {@code ./wings workflow}: workflows as data (YAML, versioned in the orchestrator's database). */
@Command(name = "workflow", mixinStandardHelpOptions = true,
        description = "Workflows: the built-ins and operators' own, written as YAML and stored in versions.",
        subcommands = {WorkflowCommand.ListWorkflows.class, WorkflowCommand.Show.class, WorkflowCommand.Push.class, WorkflowCommand.Start.class})
public class WorkflowCommand {

    @ParentCommand
    WingsCli root;

    static String encoded(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }

    @Command(name = "list", mixinStandardHelpOptions = true, description = "The built-ins and the newest version of each stored workflow.")
    static class ListWorkflows implements Runnable {
        @ParentCommand
        WorkflowCommand parent;

        @Mixin
        Output output;

        @Override
        public void run() {
            JsonNode all = parent.root.orchestrator().get("/api/v1/workflows").path("workflows");
            if (output.json()) {
                all.forEach(output::print);
                return;
            }
            Table t = new Table("REF", "KIND", "IMAGE", "LIFECYCLE", "STAGES", "DESCRIPTION");
            for (JsonNode w : all) {
                StringBuilder stages = new StringBuilder();
                w.path("stages").forEach(s -> stages.append(stages.length() == 0 ? "" : " ").append(s.path("name").asText()));
                t.row(Text.str(w, "ref"), w.path("builtIn").asBoolean() ? "built-in" : "stored", w.path("needsImage").asBoolean() ? "yes" : "no",
                        Text.str(w, "running") + " -> " + Text.str(w, "done"), stages.toString(), Text.cut(Text.str(w, "description"), 50));
            }
            output.print(t);
        }
    }

    @Command(name = "show", mixinStandardHelpOptions = true, description = "One workflow: its stages, what completes each, or its YAML.")
    static class Show implements Runnable {
        @ParentCommand
        WorkflowCommand parent;

        @Mixin
        Output output;

        @Parameters(paramLabel = "NAME[@VERSION]", description = "the newest version without one")
        String ref;

        @Option(names = "--yaml", description = "the stored YAML, as uploaded")
        boolean yaml;

        @Override
        public void run() {
            int at = ref.indexOf('@');
            String path = "/api/v1/workflows/" + encoded(at < 0 ? ref : ref.substring(0, at)) + (at < 0 ? "" : "?version=" + encoded(ref.substring(at + 1)));
            JsonNode w = parent.root.orchestrator().get(path);
            if (output.json()) {
                output.print(w);
                return;
            }
            if (yaml) {
                System.out.print(w.path("source").asText());
                return;
            }
            System.out.println(Text.str(w, "ref") + (w.path("builtIn").asBoolean() ? " (built in)" : "") + ": "
                    + Text.str(w, "running") + " while it runs, " + Text.str(w, "done") + " after");
            Table t = new Table("STAGE", "SENDS", "COMPLETED BY", "TIMEOUT", "TRIES", "ON FAILURE");
            for (JsonNode s : w.path("stages")) {
                StringBuilder sends = new StringBuilder();
                if (s.hasNonNull("intent")) {
                    sends.append("intent ").append(s.path("intent").asText()).append("; ");
                }
                sends.append(sends(s));
                for (JsonNode c : s.path("choose")) {
                    // One case per clause: "bmc+reboot: bmc power-cycle", "reboot: task reboot", "else: task kexec".
                    List<String> when = new java.util.ArrayList<>();
                    if (c.hasNonNull("whenBmc")) {
                        when.add(c.path("whenBmc").asBoolean() ? "bmc" : "no bmc");
                    }
                    if (c.hasNonNull("whenHandOff")) {
                        when.add(c.path("whenHandOff").asText());
                    }
                    sends.append(when.isEmpty() ? "else" : String.join("+", when)).append(": ").append(sends(c)).append(" | ");
                }
                t.row(Text.str(s, "name"), sends.toString(), Text.str(s, "completesOn"), Text.str(s, "timeout"), Text.str(s, "tries"),
                        Text.str(s, "onFailure"));
            }
            output.print(t);
        }
    }

    /** A stage's or a case's BMC commands and task, as one cell. */
    private static String sends(JsonNode s) {
        StringBuilder out = new StringBuilder();
        for (JsonNode b : s.path("bmc")) {
            out.append("bmc ").append(b.path("action").asText()).append(b.hasNonNull("device") ? " " + b.path("device").asText() : "").append("; ");
        }
        if (s.hasNonNull("task")) {
            JsonNode params = s.path("params");
            out.append("task ").append(s.path("task").asText()).append(params.isObject() && !params.isEmpty() ? " " + params : "").append("; ");
        }
        return out.toString();
    }

    @Command(name = "push", mixinStandardHelpOptions = true,
            description = {"Store a workflow's YAML as its name's next version (the same bytes again store nothing).",
                    "Every problem in the document is listed at once; nothing is stored then."})
    static class Push implements Runnable {
        @ParentCommand
        WorkflowCommand parent;

        @Mixin
        Output output;

        @Parameters(paramLabel = "FILE", description = "the workflow's YAML")
        Path file;

        @Override
        public void run() {
            String yaml;
            try {
                yaml = Files.readString(file);
            } catch (IOException e) {
                throw new CliException(CliException.REFUSED, "cannot read " + file + ": " + e.getMessage());
            }
            JsonNode w = parent.root.orchestrator().post("/api/v1/workflows?by=" + encoded(System.getProperty("user.name", "cli")),
                    "application/yaml", yaml);
            if (output.json()) {
                output.print(w);
                return;
            }
            System.out.println("stored " + Text.str(w, "ref") + " (sha256 " + Text.str(w, "sha256").substring(0, 12) + ")");
        }
    }

    @Command(name = "start", mixinStandardHelpOptions = true,
            description = {"Start a workflow on machines: all of them or none.", "A run keeps the version it started with."})
    static class Start implements Runnable {
        @ParentCommand
        WorkflowCommand parent;

        @Mixin
        Output output;

        @Parameters(index = "0", paramLabel = "NAME[@VERSION]", description = "a built-in or a stored workflow (its newest version without one)")
        String ref;

        @Mixin
        Targets targets;

        @Option(names = "--image", paramLabel = "NAME[:VERSION]", description = "for a workflow that writes an image")
        String image;

        @Mixin
        Starting starting;

        @Override
        public void run() {
            Map<String, Object> body = targets.body(parent.root);
            body.put("workflow", ref);
            if (image != null) {
                body.put("image", image);
            }
            starting.start(parent.root, output, body);
        }
    }
}

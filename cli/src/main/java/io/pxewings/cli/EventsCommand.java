package io.pxewings.cli;

import java.util.Map;
import java.util.stream.Stream;

import com.fasterxml.jackson.databind.JsonNode;

import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

/**
 * {@code ./wings events [MACHINE]}: the orchestrator's event log, a machine's timeline from its
 * first DHCP discover; {@code --follow} keeps reading the live stream and reconnects after a break
 * from the last event it printed, so nothing is missed or printed twice.
 */
@Command(name = "events", mixinStandardHelpOptions = true, description = "Show facts: one machine's timeline, a site's, or all; --follow for the live stream.")
public class EventsCommand implements Runnable {

    @ParentCommand
    WingsCli root;

    @Mixin
    Output output;

    @Parameters(arity = "0..1", paramLabel = "MACHINE", description = "machine id, boot MAC or lab machine (lab-N)")
    String machine;

    @Option(names = "--site", description = "one site's")
    String site;

    @Option(names = "--type", description = "a type prefix, e.g. io.pxewings.dhcp. or io.pxewings.run.")
    String type;

    @Option(names = {"-f", "--follow"}, description = "keep printing facts as they come (Ctrl-C ends)")
    boolean follow;

    @Option(names = "--from", description = "with --follow: beginning or now (default: beginning for a machine, now otherwise)")
    String from;

    @Option(names = "--limit", defaultValue = "1000", description = "without --follow: at most this many, oldest first (default ${DEFAULT-VALUE})")
    int limit;

    @Option(names = "--count", description = "with --follow: stop after this many facts")
    Integer count;

    @Override
    public void run() {
        StringBuilder filter = new StringBuilder();
        MachinesCommand.param(filter, "machine", machine == null ? null : MachineRef.key(machine, root.endpoints.labDir()));
        MachinesCommand.param(filter, "site", site);
        MachinesCommand.param(filter, "type", type);
        if (follow) {
            follow(filter.toString());
        } else {
            history(filter.toString());
        }
    }

    private void history(String filter) {
        int printed = 0;
        String after = null;
        do {
            String path = "/api/v1/events?limit=" + Math.min(500, limit - printed) + filter + (after == null ? "" : "&after=" + after);
            JsonNode page = root.orchestrator().get(path);
            for (JsonNode e : page.path("events")) {
                print(e);
                printed++;
            }
            after = Text.str(page, "next");
        } while (after != null && printed < limit);
        if (after != null) {
            output.out().println("(more: --limit)");
        }
    }

    private void follow(String filter) {
        String start = from != null ? from : machine != null ? "beginning" : "now";
        if (!start.equals("beginning") && !start.equals("now")) {
            throw new CliException(2, "--from: beginning or now, got '" + start + "'");
        }
        String lastId = null;
        int printed = 0;
        long backoff = 500;
        while (count == null || printed < count) {
            Map<String, String> headers = lastId == null ? Map.of() : Map.of("Last-Event-ID", lastId);
            String path = "/api/v1/events/stream?from=" + start + filter;
            try (Stream<String> lines = root.orchestrator().lines(path, headers)) {
                backoff = 500;
                SseReader reader = new SseReader();
                var it = lines.iterator();
                while (it.hasNext() && (count == null || printed < count)) {
                    SseReader.Event e = reader.accept(it.next());
                    if (e != null) {
                        print(Api.JSON.readTree(e.data()));
                        lastId = e.id();
                        printed++;
                    }
                }
            } catch (CliException e) {
                if (e.exitCode() != CliException.UNREACHABLE) {
                    throw e;
                }
                output.out().println("(" + e.getMessage() + "; again in " + backoff + " ms)");
                output.out().flush();
            } catch (java.io.IOException | java.io.UncheckedIOException broken) {
                output.out().println("(stream broke: " + broken.getMessage() + "; resuming after " + lastId + ")");
                output.out().flush();
            }
            if (count != null && printed >= count) {
                break;
            }
            sleep(backoff);
            backoff = Math.min(backoff * 2, 10_000);
        }
    }

    private void print(JsonNode e) {
        if (output.json()) {
            output.print(e);
        } else {
            output.line(EventLine.of(e));
        }
    }

    private static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new CliException(CliException.REFUSED, "interrupted");
        }
    }
}

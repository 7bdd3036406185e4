package io.pxewings.cli;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;

import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

/** {@code ./wings machines}: inventory-service's machines, filtered, every page. */
@Command(name = "machines", mixinStandardHelpOptions = true, description = "List machines as inventory-service records them.")
public class MachinesCommand implements Runnable {

    @ParentCommand
    WingsCli root;

    @Mixin
    Output output;

    @Option(names = "--site", description = "only this site's")
    String site;

    @Option(names = "--state", description = "only in this state (inventoried, ready, provisioning, provisioned, ...)")
    String state;

    @Option(names = {"-l", "--selector"}, description = "a label selector, e.g. rack=r12,role in (compute)")
    String selector;

    @Option(names = {"-q", "--search"}, description = "part of a host name, serial, id or MAC")
    String search;

    @Option(names = "--limit", defaultValue = "1000", description = "at most this many (default ${DEFAULT-VALUE})")
    int limit;

    @Override
    public void run() {
        List<JsonNode> machines = list(root.inventory(), site, state, selector, search, limit);
        if (output.json()) {
            machines.forEach(output::print);
            return;
        }
        Table t = new Table("ID", "SITE", "HOSTNAME", "STATE", "BOOT MAC", "FIRMWARE", "CPUS", "MEMORY", "DISKS", "LABELS");
        for (JsonNode m : machines) {
            t.row(m.path("id").asText(), Text.str(m, "site"), Text.str(m, "hostname"), Text.str(m, "state"), bootMac(m),
                    Text.str(m, "firmware"), Text.str(m, "cpuThreads"), Text.bytes(m, "memoryBytes"), m.path("disks").size(),
                    Text.cut(Text.labels(m.path("labels")), 40));
        }
        output.print(t);
    }

    /** Every machine the filters take, page after page, up to {@code limit}. */
    static List<JsonNode> list(Api inventory, String site, String state, String selector, String search, int limit) {
        List<JsonNode> out = new ArrayList<>();
        String cursor = null;
        do {
            StringBuilder q = new StringBuilder("/api/v1/machines?limit=").append(Math.min(100, limit - out.size()));
            param(q, "site", site);
            param(q, "state", state);
            param(q, "selector", selector);
            param(q, "q", search);
            param(q, "cursor", cursor);
            JsonNode page = inventory.get(q.toString());
            page.path("items").forEach(out::add);
            cursor = Text.str(page, "next");
        } while (cursor != null && out.size() < limit);
        return out;
    }

    static String bootMac(JsonNode m) {
        for (JsonNode nic : m.path("nics")) {
            if (nic.path("boot").asBoolean()) {
                return nic.path("mac").asText();
            }
        }
        return null;
    }

    static void param(StringBuilder q, String name, String value) {
        if (value != null) {
            q.append('&').append(name).append('=').append(URLEncoder.encode(value, StandardCharsets.UTF_8));
        }
    }
}

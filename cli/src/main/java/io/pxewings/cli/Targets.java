package io.pxewings.cli;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;

import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** Which machines a run is for: named ones, a label selector, or all of them (of a site). */
public class Targets {

    @ArgGroup(exclusive = true, multiplicity = "1")
    Which which;

    @Option(names = "--site", description = "with --all: only this site's machines")
    String site;

    static class Which {
        @Parameters(arity = "1..*", paramLabel = "MACHINE", description = "machine ids, boot MACs or lab machines (lab-N)")
        List<String> machines;

        @Option(names = {"-l", "--selector"}, description = "machines whose labels match key=value[,key=value...]")
        String selector;

        @Option(names = "--all", description = "every machine inventory-service has (of --site, if given)")
        boolean all;
    }

    /** The start request's machines or selector. */
    Map<String, Object> body(WingsCli root) {
        Map<String, Object> body = new LinkedHashMap<>();
        if (which.selector != null) {
            body.put("selector", which.selector);
        } else if (which.all) {
            List<String> ids = new ArrayList<>();
            for (JsonNode m : MachinesCommand.list(root.inventory(), site, null, null, null, 10_000)) {
                ids.add(m.path("id").asText());
            }
            if (ids.isEmpty()) {
                throw new CliException(CliException.REFUSED, "inventory-service has no machines" + (site == null ? "" : " in site " + site));
            }
            body.put("machines", ids);
        } else {
            body.put("machines", which.machines.stream().map(m -> MachineRef.key(m, root.endpoints.labDir())).toList());
        }
        return body;
    }
}

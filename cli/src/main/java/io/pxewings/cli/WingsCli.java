package io.pxewings.cli;

import java.io.PrintWriter;
import java.net.http.HttpClient;
import java.time.Duration;
import java.util.Map;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * {@code ./wings} for operators: machines, runs, power and events, over the services' REST APIs
 * (the same ones the console uses). The launcher script dispatches these subcommands here.
 */
@Command(name = "./wings", mixinStandardHelpOptions = true, version = "PXE Wings CLI 0.1",
        description = "Provision and watch machines through the PXE Wings services.",
        subcommands = {MachinesCommand.class, ProvisionCommand.class, DeprovisionCommand.class, RunsCommand.class, RunCommand.class,
                CancelCommand.class, RetryCommand.class, PowerCommand.class, EventsCommand.class, WorkflowCommand.class},
        footer = {"", "Services are found on loopback at the ports ./wings up uses, or at WINGS_ORCHESTRATOR_URL, WINGS_INVENTORY_URL",
                "and WINGS_BMC_URL. Exit codes: 0 done, 1 refused or failed, 2 bad usage, 3 a service out of reach."})
public class WingsCli implements Runnable {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    final Endpoints endpoints;
    final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    WingsCli(Endpoints endpoints) {
        this.endpoints = endpoints;
    }

    Api orchestrator() {
        return new Api(http, "orchestrator", endpoints.orchestrator());
    }

    Api inventory() {
        return new Api(http, "inventory-service", endpoints.inventory());
    }

    Api bmc() {
        return new Api(http, "bmc-service", endpoints.bmc());
    }

    @Override
    public void run() {
        throw new CommandLine.ParameterException(spec.commandLine(), "a command: machines, provision, deprovision, runs, run, "
                + "cancel, retry, power or events (--help lists them)");
    }

    public static void main(String[] args) {
        System.exit(execute(args, System.getenv(), new PrintWriter(System.out, true), new PrintWriter(System.err, true)));
    }

    /** Runs one command line; the exit code. */
    public static int execute(String[] args, Map<String, String> env, PrintWriter out, PrintWriter err) {
        CommandLine cli = new CommandLine(new WingsCli(Endpoints.from(env)));
        cli.setOut(out);
        cli.setErr(err);
        cli.setExecutionExceptionHandler((ex, line, parsed) -> {
            if (ex instanceof CliException c) {
                line.getErr().println("wings: " + c.getMessage());
                line.getErr().flush();
                return c.exitCode();
            }
            throw ex;
        });
        return cli.execute(args);
    }
}

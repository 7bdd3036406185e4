package io.pxewings.cli;

import java.time.Duration;
import java.util.Map;

import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

/** {@code ./wings deprovision}: wipe machines' disks and power them off, ready for the next provision. */
@Command(name = "deprovision", mixinStandardHelpOptions = true,
        description = "Wipe machines (the RAM OS clears partition tables and filesystem signatures), power them off, and mark them ready.")
public class DeprovisionCommand implements Runnable {

    @ParentCommand
    WingsCli root;

    @Mixin
    Output output;

    @Mixin
    Targets targets;

    @Option(names = "--idempotency-key", description = "the same key again starts nothing new")
    String idempotencyKey;

    @Option(names = {"-w", "--wait"}, description = "follow the runs until they end; exit 1 unless all succeeded")
    boolean wait;

    @Option(names = "--timeout", defaultValue = "PT1H", description = "how long --wait waits (ISO-8601, default ${DEFAULT-VALUE})")
    Duration timeout;

    @Override
    public void run() {
        Map<String, Object> body = targets.body(root);
        body.put("workflow", "deprovision");
        int code = RunStarter.start(root, output, body, idempotencyKey, wait, timeout);
        if (code != 0) {
            throw new CliException(code, "not every run succeeded");
        }
    }
}

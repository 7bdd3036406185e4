package io.pxewings.cli;

import java.time.Duration;
import java.util.Map;

import picocli.CommandLine.Option;

/** How a command that starts runs starts them: an idempotency key, and whether to follow them to their end. */
public class Starting {

    @Option(names = "--idempotency-key", description = "the same key again starts nothing new")
    String idempotencyKey;

    @Option(names = {"-w", "--wait"}, description = "follow the runs until they end; exit 1 unless all succeeded")
    boolean wait;

    @Option(names = "--timeout", defaultValue = "PT1H", description = "how long --wait waits (ISO-8601, default ${DEFAULT-VALUE})")
    Duration timeout;

    /** Starts the runs {@code body} asks for; a failure to start, or a run that did not succeed under --wait, ends the command. */
    void start(WingsCli root, Output output, Map<String, Object> body) {
        int code = RunStarter.start(root, output, body, idempotencyKey, wait, timeout);
        if (code != 0) {
            throw new CliException(code, "not every run succeeded");
        }
    }
}

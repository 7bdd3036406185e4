package io.pxewings.cli;

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

    @Mixin
    Starting starting;

    @Override
    public void run() {
        Map<String, Object> body = targets.body(root);
        body.put("workflow", "deprovision");
        starting.start(root, output, body);
    }
}

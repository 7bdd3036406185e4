package io.pxewings.cli;

import java.util.Map;

import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

/** {@code ./wings provision}: the provision workflow for machines, with an image. */
@Command(name = "provision", mixinStandardHelpOptions = true,
        description = {"Provision machines with an image: power on, PXE, the RAM OS, write and verify the image, hand off, first boot.",
                "All of the machines or none: a machine with a run already, or in maintenance, refuses the whole request."})
public class ProvisionCommand implements Runnable {

    @ParentCommand
    WingsCli root;

    @Mixin
    Output output;

    @Mixin
    Targets targets;

    @Option(names = "--image", required = true, paramLabel = "NAME[:VERSION]", description = "the image (the newest deployable version without one)")
    String image;

    @Option(names = "--reinstall", description = "only machines that are provisioned (the reinstall workflow): a running system is what you mean to replace")
    boolean reinstall;

    @Option(names = "--hand-off", paramLabel = "auto|kexec|reboot",
            description = "how the RAM OS hands off to the installed system (default: the orchestrator's, auto: kexec on BIOS, a reboot to disk on UEFI)")
    String handOff;

    @Mixin
    Starting starting;

    @Override
    public void run() {
        Map<String, Object> body = targets.body(root);
        body.put("image", image);
        body.put("workflow", reinstall ? "reinstall" : "provision");
        if (handOff != null) {
            body.put("handOff", handOff);
        }
        starting.start(root, output, body);
    }
}

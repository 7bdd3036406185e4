package io.pxewings.common.bootloaders;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;

import org.jboss.logging.Logger;

/**
 * Puts Debian's iPXE builds (package {@code ipxe}, {@code /usr/lib/ipxe}) into a service's root at
 * start, so a fresh site boots machines without an operator copying files: tftp-service's root
 * for PXE firmware, http-boot-service's files root for UEFI HTTP Boot. A file the root already has
 * is never replaced: an operator's own build wins. Files are copied, dereferenced, never linked:
 * Debian's {@code ipxe.efi} is a link to {@code /boot/ipxe.efi}, and both services refuse links
 * that leave their root.
 */
public final class Bootloaders {

    private static final Logger LOG = Logger.getLogger(Bootloaders.class);

    /** What became of one bootloader. */
    public enum Outcome {
        COPIED, ALREADY_THERE, NOT_IN_SOURCE, FAILED
    }

    /** One bootloader's outcome, with the reason when it is not there. */
    public record Result(String name, Outcome outcome, String detail) {
    }

    private Bootloaders() {
    }

    /**
     * Copies each of {@code names} from {@code source} into {@code root} unless the root has it.
     * Never throws for a missing or unreadable bootloader: the service starts, logs a warning
     * naming the setting and the Debian package, and answers 404 (or TFTP error 1) for that file.
     *
     * @param settings the config keys to name in a warning, e.g. "wings.tftp.ipxe-dir"
     */
    public static List<Result> install(Path root, Path source, List<String> names, String settings) {
        List<Result> results = new ArrayList<>();
        for (String name : names) {
            Path target = root.resolve(name).normalize();
            Path from = source.resolve(name).normalize();
            if (!target.startsWith(root.normalize())) {
                results.add(new Result(name, Outcome.FAILED, "outside the root"));
                LOG.warnf("bootloader %s is outside the root %s (%s): skipped", name, root, settings);
                continue;
            }
            if (Files.exists(target)) {
                results.add(new Result(name, Outcome.ALREADY_THERE, target.toString()));
                continue;
            }
            if (!Files.isRegularFile(from)) {
                results.add(new Result(name, Outcome.NOT_IN_SOURCE, from.toString()));
                LOG.warnf("bootloader %s is not in the root and not in %s (%s; Debian package ipxe)", name, source, settings);
                continue;
            }
            try {
                Files.createDirectories(target.getParent());
                Path part = target.resolveSibling(target.getFileName() + ".part");
                Files.copy(from, part, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.COPY_ATTRIBUTES);
                // A service that dies mid-copy leaves a .part, never a truncated bootloader.
                Files.move(part, target, StandardCopyOption.ATOMIC_MOVE);
                results.add(new Result(name, Outcome.COPIED, from.toString()));
                LOG.infof("bootloader %s copied from %s", name, from);
            } catch (IOException e) {
                results.add(new Result(name, Outcome.FAILED, e.toString()));
                LOG.warnf("bootloader %s could not be copied from %s: %s", name, from, e.toString());
            }
        }
        return results;
    }
}

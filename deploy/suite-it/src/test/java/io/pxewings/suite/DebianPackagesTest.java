package io.pxewings.suite;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;

/**
 * Every system file and program the code, the tests and the lab use comes from a Debian package
 * on one of the project's lists, so a fresh machine gets it from {@code ./wings up} or
 * {@code ./wings test}, not from someone's hand. (CI once passed only because OVMF had been
 * installed by hand.) Packages every Debian has (Essential, or priority required) need no line.
 *
 * <p>What it finds: absolute paths under /usr, /bin, /sbin, /lib and /boot written in tracked
 * sources and scripts, and the programs the tests start (the first word of a command string, the
 * first element of a {@code List.of}/{@code ProcessBuilder}/{@code run(...)} command, the program after
 * {@code ip netns exec NS}). A program started some other way can escape it: list it anyway.
 * The benchmarks' packages ({@code bench/debian-packages.txt}) are not installed by
 * {@code ./wings test}, so {@code bench/} is not scanned.
 */
class DebianPackagesTest {

    static final List<Path> LISTS = List.of(Path.of("deploy/debian-packages.txt"), Path.of("deploy/lab/debian-packages.txt"),
            Path.of("deploy/suite-it/debian-packages.txt"));
    /** A path written in a source: not preceded by a word, '$', '}' or '.', as in "$WORK/debroot/usr/lib". */
    static final Pattern PATH = Pattern.compile("(?<![\\w$}./-])(/(?:usr/(?:share|lib|libexec|bin|sbin)|bin|sbin|lib|boot)/[A-Za-z0-9._+@-][A-Za-z0-9._+@/-]*)");
    static final Pattern COMMAND_STRING = Pattern.compile("\"([a-z][a-z0-9._+-]{1,40}) [^\"]*\"");
    static final Pattern COMMAND_LIST = Pattern.compile("(?:ProcessBuilder|List\\.of|\\brun)\\(\\s*\"([a-z][a-z0-9._+-]*)\"");
    static final Pattern NETNS_EXEC = Pattern.compile("\"exec\",\\s*[^,]+,\\s*\"([a-z][a-z0-9._+-]*)\"");
    /** Paths the project writes itself: ./wings puts a policy-rc.d in place while apt-get runs. */
    static final Set<String> WRITTEN_BY_US = Set.of("/usr/sbin/policy-rc.d");
    /** Words that start messages and name a program by chance; never run by a test. */
    static final Set<String> NOT_COMMANDS = Set.of("file", "node", "find", "test", "mount", "select", "script");

    @Test
    void everySystemFileAndProgramInUseIsOnAPackageList() throws Exception {
        Set<String> listed = listed();
        Map<String, String> unlisted = new TreeMap<>();
        for (Path source : sources()) {
            String text = Files.readString(Repo.ROOT.resolve(source));
            for (String path : matches(PATH, text)) {
                Path p = Path.of(path.replaceAll("[.]$", ""));
                if (WRITTEN_BY_US.contains(p.toString()) || p.startsWith("/boot") || p.startsWith("/usr/lib/wings")) {
                    continue;   // /boot, /usr/lib/wings: inside the images the project builds (the RAM OS, the test image), never the host's
                }
                check(p, "path " + p + " in " + source, listed, unlisted);
            }
            if (source.toString().contains("/src/test/")) {
                Set<String> commands = new LinkedHashSet<>();
                commands.addAll(matches(COMMAND_STRING, text));
                commands.addAll(matches(COMMAND_LIST, text));
                commands.addAll(matches(NETNS_EXEC, text));
                commands.removeAll(NOT_COMMANDS);
                for (String command : commands) {
                    Optional<Path> program = onPath(command);
                    if (program.isPresent()) {
                        check(program.get(), "program " + command + " in " + source, listed, unlisted);
                    }
                }
            }
        }
        assertThat(unlisted).as("files and programs whose Debian package is on none of " + LISTS
                + " (add it there, with what it is for)").isEmpty();
    }

    @Test
    void theListsNameOnlyPackagesDebianHas() throws Exception {
        for (String pkg : listed()) {
            Repo.Result r = Repo.run(Map.of(), Duration.ofSeconds(30), List.of("dpkg-query", "-W", "-f=${Status}", pkg));
            assertThat(r.output()).as(pkg + ": installed by ./wings test").contains("install ok installed");
        }
    }

    void check(Path path, String what, Set<String> listed, Map<String, String> unlisted) throws Exception {
        List<String> owners = owners(path);
        if (owners.isEmpty()) {
            unlisted.put(what, Files.exists(path) ? "no package owns it" : "not on this machine");
            return;
        }
        if (owners.stream().anyMatch(listed::contains) || owners.stream().anyMatch(DebianPackagesTest::everyDebianHasIt)) {
            return;
        }
        unlisted.put(what, "from " + owners);
    }

    /** Answers of dpkg-query, which reads every package's file list on each call: asked once per path or package. */
    static final Map<Path, List<String>> OWNERS = new java.util.HashMap<>();
    static final Map<String, Boolean> EVERY_DEBIAN = new java.util.HashMap<>();

    /** The packages that ship a path, trying it as written, resolved, and without /usr (merged-/usr systems). */
    static List<String> owners(Path path) throws Exception {
        List<String> known = OWNERS.get(path);
        if (known == null) {
            known = ownersNow(path);
            OWNERS.put(path, known);
        }
        return known;
    }

    static List<String> ownersNow(Path path) throws Exception {
        Set<Path> candidates = new LinkedHashSet<>(List.of(path));
        if (Files.exists(path)) {
            candidates.add(path.toRealPath());
        }
        for (Path p : List.copyOf(candidates)) {
            if (p.startsWith("/usr/bin") || p.startsWith("/usr/sbin") || p.startsWith("/usr/lib")) {
                candidates.add(Path.of("/").resolve(p.subpath(1, p.getNameCount())));
            }
        }
        for (Path p : candidates) {
            Repo.Result r = Repo.run(Map.of(), Duration.ofSeconds(30), List.of("dpkg-query", "-S", p.toString()));
            if (r.exitCode() == 0) {
                List<String> owners = new ArrayList<>();
                for (String line : r.output().split("\n")) {
                    int colon = line.indexOf(": ");
                    if (colon > 0 && !line.startsWith("diversion")) {
                        for (String pkg : line.substring(0, colon).split(",\\s*")) {
                            owners.add(pkg.replaceAll(":.*", "").trim());
                        }
                    }
                }
                if (!owners.isEmpty()) {
                    return owners;
                }
            }
        }
        return List.of();
    }

    static boolean everyDebianHasIt(String pkg) {
        return EVERY_DEBIAN.computeIfAbsent(pkg, DebianPackagesTest::essentialOrRequired);
    }

    static boolean essentialOrRequired(String pkg) {
        try {
            Repo.Result r = Repo.run(Map.of(), Duration.ofSeconds(30), List.of("dpkg-query", "-W", "-f=${Essential} ${Priority}", pkg));
            return r.output().startsWith("yes") || r.output().endsWith("required");
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    static Optional<Path> onPath(String command) {
        for (String dir : System.getenv().getOrDefault("PATH", "/usr/bin:/bin").split(":")) {
            Path p = Path.of(dir, command);
            if (Files.isExecutable(p) && !Files.isDirectory(p) && !dir.startsWith("/usr/local") && !dir.startsWith("/root")) {
                return Optional.of(p);
            }
        }
        return Optional.empty();
    }

    static Set<String> listed() throws IOException {
        Set<String> packages = new LinkedHashSet<>();
        for (Path list : LISTS) {
            for (String line : Files.readAllLines(Repo.ROOT.resolve(list))) {
                String pkg = line.replaceAll("#.*", "").trim();
                if (!pkg.isEmpty()) {
                    packages.add(pkg);
                }
            }
        }
        return packages;
    }

    /** Tracked Java sources and host scripts, outside bench/ and docs (the RAM OS's rootfs paths are its own). */
    static List<Path> sources() throws Exception {
        Repo.Result r = Repo.run(Map.of(), Duration.ofSeconds(30), List.of("git", "ls-files"));
        assertThat(r.exitCode()).as(r.output()).isZero();
        try (Stream<String> lines = r.output().lines()) {
            // What runs inside the RAM OS and the images (rootfs/, initrd/) has their own paths.
            return lines.filter(f -> !f.startsWith("bench/") && !f.endsWith(".md") && !f.startsWith("docs/"))
                    .filter(f -> !f.contains("/rootfs/") && !f.contains("/initrd/"))
                    .filter(f -> f.endsWith(".java") || f.endsWith(".sh") || f.endsWith(".properties") || f.equals("wings")
                            || f.equals("deploy/ram-os/build") || f.equals("deploy/test-image/build"))
                    .map(Path::of).toList();
        }
    }

    static List<String> matches(Pattern pattern, String text) {
        List<String> out = new ArrayList<>();
        Matcher m = pattern.matcher(text);
        while (m.find()) {
            out.add(m.group(1));
        }
        return out;
    }
}

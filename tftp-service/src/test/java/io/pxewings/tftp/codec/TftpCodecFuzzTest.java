package io.pxewings.tftp.codec;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;

import org.junit.jupiter.api.Test;

import com.code_intelligence.jazzer.junit.FuzzTest;

import io.pxewings.testsupport.SeededMutations;
import io.pxewings.tftp.files.SafePaths;
import io.pxewings.tftp.transfer.Negotiation;

/**
 * Whatever arrives on port 69, the server either reads it or refuses it with a reason: the codec
 * throws only {@link MalformedTftpException}, negotiation only {@link Negotiation.Refused}, and
 * no filename, however built, resolves to anything outside the root.
 *
 * <p>CI runs the fuzz test in Jazzer's regression mode (the seeds in {@code TftpCodecFuzzTestInputs}:
 * requests as tftp-hpa, atftp, curl and iPXE send them, and a path escape) plus a bounded, seeded
 * mutation loop. The long, coverage-guided run:
 * {@code JAZZER_FUZZ=1 ./mvnw -pl tftp-service test -Dtest=TftpCodecFuzzTest} (one million executions).
 */
class TftpCodecFuzzTest {

    static final Path ROOT = root();
    static final SafePaths PATHS = paths();
    static final Negotiation.Limits LIMITS = new Negotiation.Limits(1468, 64, Duration.ofSeconds(1));

    /** The seeds, as hex: the same bytes as the files in TftpCodecFuzzTestInputs. */
    static final List<String> SEEDS = List.of(
            TftpCodecTest.RRQ,
            "0001 70786c696e75782e3000 6f6374657400",                                            // pxelinux.0 octet
            "0001 6566692f736e706f6e6c792e65666900 6f6374657400 7473697a6500 3000 626c6b73697a6500 3134363800 77696e646f7773697a6500 313600",
            "0001 2e2e2f2e2e2f6574632f70617373776400 6e65746173636969 00",                          // ../../etc/passwd netascii
            "0004 0001", "0005 0001 6e6f00", "0003 0001 616263", "0006 626c6b73697a6500 3531320000");

    @FuzzTest(maxExecutions = 1_000_000)
    void decodeOnlyEverRefusesWithAReason(byte[] data) {
        exercise(data);
    }

    /** 100,000 mutations of the seeds: byte flips, NULs moved, truncations. */
    @Test
    void mutatedRequestsAreReadOrRefusedAndNeverEscapeTheRoot() {
        List<byte[]> seeds = SEEDS.stream().map(h -> HexFormat.of().parseHex(h.replace(" ", ""))).toList();
        byte[] palette = {0, '.', '/', '\\'};
        int refused = SeededMutations.refused(100_000, 20261128, seeds, 2, 6,
                r -> r.nextInt(5) == 0 ? r.nextInt(256) : palette[r.nextInt(palette.length)], TftpCodecFuzzTest::exercise);
        assertThat(refused).as("mutations refused").isBetween(1, 99_999);
    }

    /** @return true when the input decoded */
    static boolean exercise(byte[] data) {
        TftpPacket p;
        try {
            p = TftpCodec.decode(data);
        } catch (MalformedTftpException refused) {
            return false;
        }
        if (p instanceof TftpPacket.Request r) {
            try {
                Negotiation.of(r, 12_345, LIMITS);
            } catch (Negotiation.Refused refused) {
                // answered with error 8
            }
            try {
                Path served = PATHS.resolve(r.filename());
                assertThat(served).as("'" + r.filename() + "' resolves inside the root").startsWith(PATHS.root());
            } catch (SafePaths.Refused refused) {
                // answered with error 1 or 2
            }
        }
        try {
            assertThat(TftpCodec.decode(TftpCodec.encode(p))).isEqualTo(p);
        } catch (MalformedTftpException e) {
            throw new AssertionError("re-encoded packet does not decode: " + e.getMessage(), e);
        }
        return true;
    }

    /** A root with a file inside, a secret beside it, and a link out: what an escape would reach. */
    private static Path root() {
        try {
            Path dir = Files.createDirectories(Path.of("target/fuzz-root"));
            Path root = Files.createDirectories(dir.resolve("root"));
            Files.writeString(root.resolve("pxelinux.0"), "x");
            Files.writeString(dir.resolve("secret"), "no");
            Path link = root.resolve("out");
            if (!Files.exists(link, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
                Files.createSymbolicLink(link, dir.resolve("secret"));
            }
            return root;
        } catch (java.io.IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private static SafePaths paths() {
        try {
            return new SafePaths(ROOT);
        } catch (java.io.IOException e) {
            throw new IllegalStateException(e);
        }
    }
}

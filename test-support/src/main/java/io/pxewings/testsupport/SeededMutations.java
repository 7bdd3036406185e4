package io.pxewings.testsupport;

import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.function.Predicate;
import java.util.function.ToIntFunction;

/**
 * The bounded, repeatable half of a codec fuzz test, for CI: copies of seed packets with a few
 * bytes changed and, one time in ten, a truncation, each handed to the test's exercise. The same
 * seed gives the same inputs on every run, so a failure reproduces.
 */
public final class SeededMutations {

    private SeededMutations() {
    }

    /**
     * @param count        inputs to try (a bounded loop)
     * @param seed         the Random seed
     * @param seeds        packets to start from, used in turn
     * @param firstMutable bytes before this offset stay as they are (e.g. a fixed header)
     * @param maxEdits     at most this many bytes changed per input
     * @param newByte      what a changed byte becomes
     * @param exercise     true when the input was read, false when refused; throws on a bug
     * @return how many inputs were refused
     */
    public static int refused(int count, long seed, List<byte[]> seeds, int firstMutable, int maxEdits,
                              ToIntFunction<Random> newByte, Predicate<byte[]> exercise) {
        Random random = new Random(seed);
        int refused = 0;
        for (int i = 0; i < count; i++) {
            byte[] data = seeds.get(i % seeds.size()).clone();
            int edits = 1 + random.nextInt(maxEdits);
            for (int e = 0; e < edits && data.length > firstMutable; e++) {
                data[firstMutable + random.nextInt(data.length - firstMutable)] = (byte) newByte.applyAsInt(random);
            }
            if (random.nextInt(10) == 0) {
                data = Arrays.copyOf(data, random.nextInt(data.length + 1));
            }
            if (!exercise.test(data)) {
                refused++;
            }
        }
        return refused;
    }
}

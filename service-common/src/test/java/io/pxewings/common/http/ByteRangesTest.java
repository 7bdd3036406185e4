package io.pxewings.common.http;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** RFC 9110 §14.1.2 examples and the edges around them, for a 10,000-byte file. */
class ByteRangesTest {

    static final long SIZE = 10_000;

    static ByteRanges.Answer of(String header) {
        return ByteRanges.of(header, SIZE);
    }

    @Test
    void theRfcExamples() {
        // §14.1.2: "bytes=0-499" the first 500 bytes; "bytes=500-999" the second 500; "bytes=-500" and
        // "bytes=9500-" the final 500.
        assertThat(of("bytes=0-499")).isEqualTo(new ByteRanges.Partial(0, 499));
        assertThat(of("bytes=500-999")).isEqualTo(new ByteRanges.Partial(500, 999));
        assertThat(of("bytes=-500")).isEqualTo(new ByteRanges.Partial(9500, 9999));
        assertThat(of("bytes=9500-")).isEqualTo(new ByteRanges.Partial(9500, 9999));
        assertThat(of("bytes=0-0")).isEqualTo(new ByteRanges.Partial(0, 0));
        assertThat(of("bytes=-1")).isEqualTo(new ByteRanges.Partial(9999, 9999));
    }

    @Test
    void rangesPastTheEndAreClampedOrUnsatisfiable() {
        assertThat(of("bytes=9000-20000")).isEqualTo(new ByteRanges.Partial(9000, 9999));
        assertThat(of("bytes=-20000")).as("a suffix longer than the file is the whole file").isEqualTo(new ByteRanges.Partial(0, 9999));
        assertThat(of("bytes=10000-")).isInstanceOf(ByteRanges.Unsatisfiable.class);
        assertThat(of("bytes=10000-10005")).isInstanceOf(ByteRanges.Unsatisfiable.class);
        assertThat(of("bytes=99999999999999999999999-")).isInstanceOf(ByteRanges.Unsatisfiable.class);
        assertThat(of("bytes=-0")).isInstanceOf(ByteRanges.Unsatisfiable.class);
        assertThat(ByteRanges.of("bytes=0-", 0)).as("an empty file has no byte 0").isInstanceOf(ByteRanges.Unsatisfiable.class);
        assertThat(of("bytes=0-99999999999999999999999")).isEqualTo(new ByteRanges.Partial(0, 9999));
    }

    @Test
    void whatMayBeIgnoredIsServedWhole() {
        for (String h : new String[] {null, "items=0-5", "bytes 0-5", "bytes=", "bytes=a-b", "bytes=5-1", "bytes=--5",
                "bytes=0-1,5-6", "bytes=1-2, 3-4, 5-6"}) {
            assertThat(of(h)).as(String.valueOf(h)).isInstanceOf(ByteRanges.Whole.class);
        }
        assertThat(of("BYTES=0-1")).as("the unit is case-insensitive").isEqualTo(new ByteRanges.Partial(0, 1));
        assertThat(of(" bytes = 7-8 ")).isEqualTo(new ByteRanges.Partial(7, 8));
    }

    @Test
    void tooManyRangesAreRefusedWithoutParsingThem() {
        StringBuilder h = new StringBuilder("bytes=0-0");
        for (int i = 1; i < 1000; i++) {
            h.append(',').append(i).append('-').append(i);
        }
        assertThat(of(h.toString())).isEqualTo(new ByteRanges.TooMany(1000));
        assertThat(of("bytes=" + "0-0,".repeat(ByteRanges.MAX_RANGES - 1) + "0-0")).isInstanceOf(ByteRanges.Whole.class);
    }

    @Test
    void aSliceSaysStatusBytesAndContentRange() {
        assertThat(ByteRanges.slice(new ByteRanges.Partial(100, 199), 1000))
                .isEqualTo(new ByteRanges.Slice(206, 100, 100, "bytes 100-199/1000"));
        assertThat(ByteRanges.slice(new ByteRanges.Whole(), 1000)).isEqualTo(new ByteRanges.Slice(200, 0, 1000, null));
    }
}

package io.pxewings.httpboot.files;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class ValidatorsTest {

    // 2026-11-28T08:00:00.500Z
    static final long MODIFIED = 1_795_852_800_500L;
    final Validators v = new Validators(4096, MODIFIED);

    @Test
    void theValidatorsAreStrongAndImfFixdate() {
        assertThat(v.etag()).isEqualTo("\"1000-" + Long.toHexString(MODIFIED) + "\"");
        assertThat(v.lastModified()).isEqualTo("Sat, 28 Nov 2026 08:00:00 GMT");
        assertThat(new Validators(4097, MODIFIED).etag()).as("another size, another tag").isNotEqualTo(v.etag());
    }

    @Test
    void ifNoneMatchDecidesBeforeIfModifiedSince() {
        assertThat(v.notModified(v.etag(), null)).isTrue();
        assertThat(v.notModified("\"x\", " + v.etag(), null)).isTrue();
        assertThat(v.notModified("W/" + v.etag(), null)).as("weak comparison for GET").isTrue();
        assertThat(v.notModified("*", null)).isTrue();
        assertThat(v.notModified("\"x\"", "Sat, 28 Nov 2026 09:00:00 GMT")).as("If-None-Match wins").isFalse();
        assertThat(v.notModified(null, "Sat, 28 Nov 2026 08:00:00 GMT")).isTrue();
        assertThat(v.notModified(null, "Sat, 28 Nov 2026 07:59:59 GMT")).isFalse();
        assertThat(v.notModified(null, "yesterday")).as("an invalid date is ignored").isFalse();
        assertThat(v.notModified(null, null)).isFalse();
    }

    @Test
    void ifRangeNeedsAStrongMatch() {
        assertThat(v.rangeApplies(null)).isTrue();
        assertThat(v.rangeApplies(v.etag())).isTrue();
        assertThat(v.rangeApplies("W/" + v.etag())).isFalse();
        assertThat(v.rangeApplies("\"other\"")).isFalse();
        assertThat(v.rangeApplies("Sat, 28 Nov 2026 08:00:00 GMT")).isTrue();
        assertThat(v.rangeApplies("Sat, 28 Nov 2026 08:00:01 GMT")).isFalse();
    }
}

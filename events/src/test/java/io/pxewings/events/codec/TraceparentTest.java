package io.pxewings.events.codec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

/** W3C Trace Context §3.2 examples and refusals. */
class TraceparentTest {

    @Test
    void parsesAndFormatsTheSpecExample() {
        String header = "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01";
        Traceparent t = Traceparent.parse(header);
        assertThat(t.traceId()).isEqualTo("4bf92f3577b34da6a3ce929d0e0e4736");
        assertThat(t.parentId()).isEqualTo("00f067aa0ba902b7");
        assertThat(t.flags()).isEqualTo(1);
        assertThat(t.header()).isEqualTo(header);
    }

    @Test
    void aChildKeepsTheTraceAndChangesTheSpan() {
        Traceparent root = Traceparent.newRoot();
        Traceparent child = root.child();
        assertThat(child.traceId()).isEqualTo(root.traceId());
        assertThat(child.parentId()).isNotEqualTo(root.parentId());
        assertThat(Traceparent.parse(child.header())).isEqualTo(child);
    }

    @Test
    void refusesInvalidHeaders() {
        assertThatThrownBy(() -> Traceparent.parse("00-00000000000000000000000000000000-00f067aa0ba902b7-01"))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Traceparent.parse("00-4bf92f3577b34da6a3ce929d0e0e4736-0000000000000000-01"))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Traceparent.parse("ff-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01"))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Traceparent.parse("00-4BF92F3577B34DA6A3CE929D0E0E4736-00f067aa0ba902b7-01"))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Traceparent.parse(null)).isInstanceOf(IllegalArgumentException.class);
    }
}

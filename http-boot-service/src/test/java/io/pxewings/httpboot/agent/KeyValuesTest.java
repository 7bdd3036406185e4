package io.pxewings.httpboot.agent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.LinkedHashMap;
import java.util.Map;

import org.junit.jupiter.api.Test;

class KeyValuesTest {

    @Test
    void linesRoundTripAndNothingBreaksALine() {
        assertThat(KeyValues.parse("# from the agent\nOUTCOME=completed\r\nMESSAGE=a=b c\n\nDETAIL_DISKS=1"))
                .containsExactly(Map.entry("OUTCOME", "completed"), Map.entry("MESSAGE", "a=b c"), Map.entry("DETAIL_DISKS", "1"));
        Map<String, String> out = new LinkedHashMap<>();
        out.put("task_id", "t-1");
        out.put("task.seconds", "5\nREBOOT=now");
        assertThat(KeyValues.format(out)).as("a value cannot smuggle in a line of its own")
                .isEqualTo("TASK_ID=t-1\nTASK_SECONDS=5 REBOOT=now\n");
    }

    @Test
    void aLineThatIsNotKeyValueIsNamed() {
        assertThatThrownBy(() -> KeyValues.parse("OUTCOME=completed\nnot a pair")).hasMessageStartingWith("line 2:");
        assertThatThrownBy(() -> KeyValues.parse("lower=case")).hasMessageStartingWith("line 1:");
        assertThatThrownBy(() -> KeyValues.parse("=value")).hasMessageStartingWith("line 1:");
    }
}

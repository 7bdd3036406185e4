package io.pxewings.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.fasterxml.jackson.databind.JsonNode;

class CliPartsTest {

    @Test
    void tablesAlignTheirColumnsAndShowAbsentCellsAsDashes() {
        String out = new Table("RUN", "STATUS", "STAGE").row("r-1", "running", "write-image").row("r-22", null, "").render();
        assertThat(out).isEqualTo("RUN   STATUS   STAGE\nr-1   running  write-image\nr-22  -        -\n");
        assertThatThrownBy(() -> new Table("A", "B").row("only one")).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void serverSentEventsAreReadAsTheStandardSaysWithCommentsAndMultiLineData() {
        SseReader r = new SseReader();
        List<SseReader.Event> events = new ArrayList<>();
        for (String line : List.of(": keep-alive", "", "id: 7", "event: io.pxewings.run.started.v1", "data: {\"a\":", "data: 1}", "",
                "data:x", "", "retry: 100", "")) {
            SseReader.Event e = r.accept(line);
            if (e != null) {
                events.add(e);
            }
        }
        assertThat(events).containsExactly(new SseReader.Event("7", "io.pxewings.run.started.v1", "{\"a\":\n1}"),
                new SseReader.Event("7", null, "x"));   // the last event id stays until another is given
    }

    @Test
    void machinesAreNamedByIdMacOrLabName(@TempDir Path lab) throws Exception {
        Files.createDirectories(lab.resolve("lab-1"));
        Files.writeString(lab.resolve("lab-1/machine"), "52:54:00:77:00:11 bios pxe\n");
        assertThat(MachineRef.key("lab-1", lab)).isEqualTo("52:54:00:77:00:11");
        assertThat(MachineRef.key("52-54-00-AA-BB-CC", lab)).isEqualTo("52:54:00:aa:bb:cc");
        assertThat(MachineRef.key("1B4E28BA-2FA1-11D2-883F-0016D3CCA427", null)).isEqualTo("1b4e28ba-2fa1-11d2-883f-0016d3cca427");
        assertThatThrownBy(() -> MachineRef.key("lab-2", lab)).hasMessageContaining("no lab machine lab-2");
        assertThatThrownBy(() -> MachineRef.key("node-7", lab)).hasMessageContaining("not a machine id, a MAC or a lab machine");
    }

    @Test
    void anEventLineSaysWhenWhereWhoseAndWhat() throws Exception {
        JsonNode e = Api.JSON.readTree("{\"id\":\"e1\",\"type\":\"io.pxewings.run.stage.changed.v1\",\"time\":\"2026-12-05T12:00:01Z\","
                + "\"site\":\"lab\",\"subject\":\"m-1\",\"data\":{\"run\":{\"id\":\"r\",\"machineId\":\"m-1\",\"stage\":\"write-image\","
                + "\"status\":\"running\",\"error\":null},\"reason\":\"\"}}");
        assertThat(EventLine.of(e)).startsWith("2026-12-05 12:00:01  lab      m-1").contains("run.stage.changed")
                .endsWith("stage=write-image status=running");
    }
}

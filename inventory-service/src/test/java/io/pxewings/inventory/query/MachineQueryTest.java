package io.pxewings.inventory.query;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.UUID;

import org.junit.jupiter.api.Test;

import io.pxewings.inventory.validation.InvalidField;

/** The list's SQL, byte for byte: every value a parameter, keyset after the cursor, one row more than the page. */
class MachineQueryTest {

    static final String ID = "1b4e28ba-2fa1-11d2-883f-0016d3cca427";

    @Test
    void filtersBecomeParametersInOrder() {
        MachineQuery q = new MachineQuery("dc1", "ready", LabelSelector.parse("rack=r1,!retired"), "Node_1%",
                MachineSort.CREATED, null, 50);
        MachineQuery.Sql sql = q.toSql();
        assertThat(sql.statement()).isEqualTo("select cast(m.id as text) from machine m where true and m.site = ?1 "
                + "and m.state = ?2 and m.labels @> cast(cast(?3 as text) as jsonb) and not jsonb_exists(m.labels, ?4) "
                + "and (m.hostname like ?5 or lower(m.serial) like ?6 or lower(m.asset_tag) like ?7 or lower(m.product) like ?8 "
                + "or m.system_uuid like ?9 or cast(m.id as text) like ?10 or exists (select 1 from nic x where "
                + "x.machine_id = m.id and x.mac like ?11)) order by m.created_at, m.id limit ?12");
        assertThat(sql.params()).hasSize(12);
        assertThat(sql.params().get(4)).as("LIKE wildcards in the text are literal").isEqualTo("%node\\_1\\%%");
        assertThat(sql.params().get(11)).isEqualTo(51);
    }

    @Test
    void aCursorContinuesAfterItsRowInTheSortOrder() {
        Cursor after = new Cursor("-createdAt", "2026-11-28T10:00:00.123456Z", ID, "x");
        MachineQuery.Sql sql = new MachineQuery(null, null, null, null, MachineSort.CREATED_DESC, after, 10).toSql();
        assertThat(sql.statement()).isEqualTo("select cast(m.id as text) from machine m where true and "
                + "(m.created_at, m.id) < (?1, ?2) order by m.created_at desc, m.id desc limit ?3");
        assertThat(sql.params()).containsExactly(OffsetDateTime.of(2026, 11, 28, 10, 0, 0, 123_456_000, ZoneOffset.UTC),
                UUID.fromString(ID), 11);

        MachineQuery.Sql byName = new MachineQuery(null, null, null, null, MachineSort.HOSTNAME,
                new Cursor("hostname", "node-7", ID, "x"), 10).toSql();
        assertThat(byName.statement()).contains("(coalesce(m.hostname, ''), m.id) > (?1, ?2)");
        assertThat(byName.params().get(0)).isEqualTo("node-7");
    }

    @Test
    void aCursorRoundTripsAndIsBoundToItsQuery() {
        MachineQuery q = new MachineQuery("dc1", null, null, null, MachineSort.HOSTNAME, null, 10);
        Cursor c = new Cursor("hostname", "node-7", ID, q.fingerprint());
        assertThat(Cursor.decode(c.encode())).isEqualTo(c);
        assertThat(MachineQuery.check(Cursor.decode(c.encode()), MachineSort.HOSTNAME, q.fingerprint())).isEqualTo(c);
        String other = new MachineQuery("dc2", null, null, null, MachineSort.HOSTNAME, null, 10).fingerprint();
        assertThatThrownBy(() -> MachineQuery.check(c, MachineSort.HOSTNAME, other)).isInstanceOf(InvalidField.class)
                .hasMessageContaining("another query");
        assertThatThrownBy(() -> MachineQuery.check(c, MachineSort.CREATED, q.fingerprint())).isInstanceOf(InvalidField.class);
        for (String bad : List.of("%%%", "", "djE", "dGhpcyBpcyBub3QgYSBjdXJzb3I")) {
            assertThatThrownBy(() -> Cursor.decode(bad)).isInstanceOf(InvalidField.class)
                    .extracting(e -> ((InvalidField) e).field()).isEqualTo("cursor");
        }
    }
}

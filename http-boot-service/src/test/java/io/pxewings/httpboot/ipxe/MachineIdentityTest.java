package io.pxewings.httpboot.ipxe;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class MachineIdentityTest {

    @Test
    void whatIpxeSendsIsAcceptedAndNormalised() {
        MachineIdentity m = MachineIdentity.of("52-54-00-AB-cd-EF", "x86_64", "efi", "4C4C4544-0031-3010-8052-B4C04F395331",
                "SN 123", "QEMU", "Standard PC (i440FX + PIIX, 1996)", "");
        assertThat(m.mac()).isEqualTo("52:54:00:ab:cd:ef");
        assertThat(m.uuid()).isEqualTo("4c4c4544-0031-3010-8052-b4c04f395331");
        assertThat(m.asset()).as("empty means unknown").isNull();
        assertThat(m.query()).isEqualTo("mac=52:54:00:ab:cd:ef&buildarch=x86_64&platform=efi"
                + "&uuid=4c4c4544-0031-3010-8052-b4c04f395331&serial=SN%20123&manufacturer=QEMU"
                + "&product=Standard%20PC%20%28i440FX%20%2B%20PIIX%2C%201996%29");
    }

    @Test
    void malformedValuesNameTheirField() {
        String[][] cases = {
            {null, null, "mac"}, {"52:54:00:12:34", null, "mac"}, {"52:54:00:12:34:5g", null, "mac"},
            {"52:54:00:12:34:56", "not-a-uuid", "uuid"}, {"52:54:00:12:34:56\n", null, "mac"},
        };
        for (String[] c : cases) {
            assertThatThrownBy(() -> MachineIdentity.of(c[0], null, null, c[1], null, null, null, null))
                    .isInstanceOfSatisfying(MachineIdentity.Invalid.class, e -> assertThat(e.field()).isEqualTo(c[2]));
        }
        assertThatThrownBy(() -> MachineIdentity.of("52:54:00:12:34:56", "x86 64", null, null, null, null, null, null))
                .isInstanceOfSatisfying(MachineIdentity.Invalid.class, e -> assertThat(e.field()).isEqualTo("buildarch"));
        assertThatThrownBy(() -> MachineIdentity.of("52:54:00:12:34:56", null, null, null, "a\u0000b", null, null, null))
                .isInstanceOfSatisfying(MachineIdentity.Invalid.class, e -> assertThat(e.field()).isEqualTo("serial"));
        assertThatThrownBy(() -> MachineIdentity.of("52:54:00:12:34:56", null, null, null, null, "x".repeat(129), null, null))
                .isInstanceOfSatisfying(MachineIdentity.Invalid.class, e -> assertThat(e.field()).isEqualTo("manufacturer"));
    }
}

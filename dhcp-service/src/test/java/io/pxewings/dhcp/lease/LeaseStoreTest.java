package io.pxewings.dhcp.lease;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

import org.junit.jupiter.api.Test;

/** Address choice, reservations, decline quarantine, release and expiry. */
class LeaseStoreTest {

    static final Instant NOW = Instant.parse("2026-11-28T00:00:00Z");
    static final Subnet LAB = new Subnet("lab", Ipv4.parse("10.77.0.0"), 24,
            List.of(Subnet.parseRange("10.77.0.100-10.77.0.102")), Ipv4.parse("10.77.0.1"), List.of(), Duration.ofHours(1));

    final LeaseStore store = new LeaseStore();

    String ip(Optional<java.net.Inet4Address> a) {
        return a.map(Ipv4::text).orElse("none");
    }

    @Test
    void handsOutPoolAddressesInOrderAndKeepsAClientsAddress() {
        String a = ip(store.choose(LAB, "aa", Optional.empty(), NOW));
        store.bind(LAB, "aa", Ipv4.parse(a), "", NOW, LAB.leaseTime());
        String b = ip(store.choose(LAB, "bb", Optional.empty(), NOW));
        assertThat(List.of(a, b)).containsExactly("10.77.0.100", "10.77.0.101");
        assertThat(ip(store.choose(LAB, "aa", Optional.empty(), NOW))).isEqualTo(a);
    }

    @Test
    void honoursAFreeRequestedAddressOnly() {
        assertThat(ip(store.choose(LAB, "aa", Optional.of(Ipv4.parse("10.77.0.102")), NOW))).isEqualTo("10.77.0.102");
        store.bind(LAB, "aa", Ipv4.parse("10.77.0.102"), "", NOW, LAB.leaseTime());
        assertThat(ip(store.choose(LAB, "bb", Optional.of(Ipv4.parse("10.77.0.102")), NOW))).isNotEqualTo("10.77.0.102");
        assertThat(ip(store.choose(LAB, "cc", Optional.of(Ipv4.parse("10.77.0.5")), NOW))).as("outside the pool")
                .isNotEqualTo("10.77.0.5");
    }

    @Test
    void aReservationIsOnlyEverGivenToItsMac() {
        store.reserve("aa", Ipv4.parse("10.77.0.101"));
        assertThat(ip(store.choose(LAB, "aa", Optional.empty(), NOW))).isEqualTo("10.77.0.101");
        assertThat(ip(store.choose(LAB, "bb", Optional.of(Ipv4.parse("10.77.0.101")), NOW))).isNotEqualTo("10.77.0.101");
    }

    @Test
    void aDeclinedAddressIsQuarantined() {
        store.bind(LAB, "aa", Ipv4.parse("10.77.0.100"), "", NOW, LAB.leaseTime());
        assertThat(store.decline("aa", Ipv4.parse("10.77.0.100"), NOW, Duration.ofMinutes(10))).isPresent();
        assertThat(store.byMac("aa")).isEmpty();
        store.bind(LAB, "bb", Ipv4.parse("10.77.0.101"), "", NOW, LAB.leaseTime());
        store.bind(LAB, "cc", Ipv4.parse("10.77.0.102"), "", NOW, LAB.leaseTime());
        assertThat(store.choose(LAB, "dd", Optional.empty(), NOW)).as("pool exhausted while quarantined").isEmpty();
        assertThat(ip(store.choose(LAB, "dd", Optional.empty(), NOW.plus(Duration.ofMinutes(11))))).isEqualTo("10.77.0.100");
    }

    @Test
    void releaseAndExpiryFreeAddressesButKeepThemForTheirClientFirst() {
        store.bind(LAB, "aa", Ipv4.parse("10.77.0.100"), "", NOW, LAB.leaseTime());
        store.bind(LAB, "bb", Ipv4.parse("10.77.0.101"), "", NOW, LAB.leaseTime());
        assertThat(store.release("aa", Ipv4.parse("10.77.0.100"), NOW)).isPresent();
        assertThat(store.release("zz", Ipv4.parse("10.77.0.101"), NOW)).as("not its lease").isEmpty();
        assertThat(ip(store.choose(LAB, "cc", Optional.empty(), NOW))).as("never-used first").isEqualTo("10.77.0.102");
        assertThat(store.inUse("lab", NOW)).as("bb only").isEqualTo(1);
        assertThat(store.expire(NOW.plus(Duration.ofHours(2)))).extracting(Lease::mac).containsExactly("bb");
        assertThat(ip(store.choose(LAB, "bb", Optional.empty(), NOW.plus(Duration.ofHours(2))))).isEqualTo("10.77.0.101");
        assertThat(store.inUse("lab", NOW.plus(Duration.ofHours(2)))).isZero();
    }

    @Test
    void lapsedOffersAreForgotten() {
        store.offer(LAB, "aa", Ipv4.parse("10.77.0.100"), "", NOW, Duration.ofSeconds(30));
        assertThat(store.expire(NOW.plusSeconds(31))).isEmpty();
        assertThat(store.byMac("aa")).isEmpty();
        assertThat(store.snapshot()).isEmpty();
    }
}

package io.pxewings.dhcp.lease;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Durability, recovery from torn and corrupt records, group commit and compaction. */
class LeaseJournalTest {

    @TempDir
    Path dir;

    static Lease lease(int i) {
        Instant t = Instant.parse("2026-11-28T00:00:00Z").plusSeconds(i);
        return new Lease(String.format("52:54:00:00:%02x:%02x", i >> 8 & 0xff, i & 0xff), Ipv4.of(0x0a4d0000L + 100 + i),
                "lab", Lease.State.BOUND, "node-" + i, t, t.plusSeconds(3600));
    }

    List<Lease> replay(Path file, AtomicReference<LeaseJournal.Recovery> recovery) throws Exception {
        List<Lease> seen = new ArrayList<>();
        LeaseJournal.open(file, seen::add, recovery::set).close();
        return seen;
    }

    @Test
    void replaysEveryRecordInOrder() throws Exception {
        Path file = dir.resolve("leases.journal");
        try (LeaseJournal j = LeaseJournal.open(file, l -> { }, r -> { })) {
            for (int i = 0; i < 50; i++) {
                j.append(lease(i)).get(5, TimeUnit.SECONDS);
            }
        }
        AtomicReference<LeaseJournal.Recovery> recovery = new AtomicReference<>();
        List<Lease> seen = replay(file, recovery);
        assertThat(seen).hasSize(50);
        assertThat(seen.get(7)).isEqualTo(lease(7));
        assertThat(recovery.get().clean()).isTrue();
    }

    @Test
    void aTornTailIsCutOffAndAppendsContinueCleanly() throws Exception {
        Path file = dir.resolve("leases.journal");
        try (LeaseJournal j = LeaseJournal.open(file, l -> { }, r -> { })) {
            j.append(lease(1)).get(5, TimeUnit.SECONDS);
            j.append(lease(2)).get(5, TimeUnit.SECONDS);
        }
        // A crash in the middle of a write: a frame header that promises more than was written.
        Files.write(file, new byte[] {0, 0, 0, 40, 1, 2, 3, 4, 9, 9, 9}, StandardOpenOption.APPEND);
        AtomicReference<LeaseJournal.Recovery> recovery = new AtomicReference<>();
        try (LeaseJournal j = LeaseJournal.open(file, l -> { }, recovery::set)) {
            j.append(lease(3)).get(5, TimeUnit.SECONDS);
        }
        assertThat(recovery.get().truncatedBytes()).isEqualTo(11);
        assertThat(recovery.get().records()).isEqualTo(2);

        AtomicReference<LeaseJournal.Recovery> again = new AtomicReference<>();
        assertThat(replay(file, again)).containsExactly(lease(1), lease(2), lease(3));
        assertThat(again.get().clean()).isTrue();
    }

    @Test
    void aCorruptRecordIsSkippedAndTheRestReplayed() throws Exception {
        Path file = dir.resolve("leases.journal");
        try (LeaseJournal j = LeaseJournal.open(file, l -> { }, r -> { })) {
            for (int i = 0; i < 3; i++) {
                j.append(lease(i)).get(5, TimeUnit.SECONDS);
            }
        }
        byte[] data = Files.readAllBytes(file);
        int secondPayload = LeaseJournal.HEADER.length + 8 + LeaseRecordFormat.encode(lease(0)).length + 8;
        data[secondPayload + 5] ^= 0x40;
        Files.write(file, data);

        AtomicReference<LeaseJournal.Recovery> recovery = new AtomicReference<>();
        assertThat(replay(file, recovery)).containsExactly(lease(0), lease(2));
        assertThat(recovery.get().corruptRecords()).isEqualTo(1);
    }

    @Test
    void anUnreadableFileIsMovedAsideAndTheServerStartsEmpty() throws Exception {
        Path file = dir.resolve("leases.journal");
        Files.writeString(file, "this is not a lease journal");
        AtomicReference<LeaseJournal.Recovery> recovery = new AtomicReference<>();
        assertThat(replay(file, recovery)).isEmpty();
        assertThat(recovery.get().headerReset()).isTrue();
        try (var files = Files.list(dir)) {
            assertThat(files.map(p -> p.getFileName().toString())).anyMatch(n -> n.startsWith("leases.journal.unreadable-"));
        }
    }

    @Test
    void concurrentAppendsShareFsyncs() throws Exception {
        Path file = dir.resolve("leases.journal");
        try (LeaseJournal j = LeaseJournal.open(file, l -> { }, r -> { })) {
            List<CompletableFuture<Void>> all = new ArrayList<>();
            for (int i = 0; i < 2000; i++) {
                all.add(j.append(lease(i)));
            }
            CompletableFuture.allOf(all.toArray(CompletableFuture[]::new)).get(30, TimeUnit.SECONDS);
            assertThat(j.syncs()).as("fsyncs for 2000 appends").isBetween(1L, 1999L);
        }
        assertThat(replay(file, new AtomicReference<>())).hasSize(2000);
    }

    @Test
    void compactionKeepsTheLatestStateInASmallerFile() throws Exception {
        Path file = dir.resolve("leases.journal");
        LeaseStore store = new LeaseStore();
        try (LeaseJournal j = LeaseJournal.open(file, store::put, r -> { })) {
            for (int round = 0; round < 20; round++) {
                for (int i = 0; i < 10; i++) {
                    Lease l = lease(i);
                    Lease renewed = new Lease(l.mac(), l.ip(), l.subnet(), l.state(), l.hostname(),
                            l.updatedAt().plusSeconds(round), l.expiresAt().plusSeconds(round));
                    j.append(store.put(renewed)).get(5, TimeUnit.SECONDS);
                }
            }
            long before = j.size();
            j.compact(store.snapshot()).get(5, TimeUnit.SECONDS);
            assertThat(j.size()).isLessThan(before / 10);
            j.append(store.put(lease(99))).get(5, TimeUnit.SECONDS);
        }
        List<Lease> seen = replay(file, new AtomicReference<>());
        assertThat(seen).hasSize(11);
        assertThat(seen).contains(lease(99));
        assertThat(seen.stream().filter(l -> l.mac().equals(lease(3).mac())).findFirst().orElseThrow().updatedAt())
                .isEqualTo(lease(3).updatedAt().plusSeconds(19));
    }

    /** kill -9 of a process that is appending: every lease it saw acknowledged is in the journal. */
    @Test
    void killMinusNineKeepsEveryAcknowledgedLease() throws Exception {
        Path file = dir.resolve("leases.journal");
        Process p = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), JournalAppender.class.getName(), file.toString())
                .redirectErrorStream(true).start();
        Set<String> acked = new HashSet<>();
        try (BufferedReader out = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
            String line;
            while ((line = out.readLine()) != null) {
                if (line.startsWith("acked ")) {
                    acked.add(line.substring(6));
                    if (acked.size() == 300) {
                        p.destroyForcibly(); // SIGKILL: no shutdown hook, no close
                        break;
                    }
                }
            }
        }
        p.waitFor(10, TimeUnit.SECONDS);
        assertThat(acked).hasSize(300);
        Set<String> recovered = new HashSet<>();
        replay(file, new AtomicReference<>()).forEach(l -> recovered.add(l.mac()));
        assertThat(recovered).containsAll(acked);
    }
}

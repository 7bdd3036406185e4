package io.pxewings.dhcp.lease;

import java.nio.file.Path;

/** Child process for the kill -9 test: appends leases forever, printing each one once it is durable. */
public final class JournalAppender {

    private JournalAppender() {
    }

    public static void main(String[] args) throws Exception {
        LeaseJournal journal = LeaseJournal.open(Path.of(args[0]), l -> { }, r -> { });
        for (int i = 0; i < 1_000_000; i++) {
            Lease l = LeaseJournalTest.lease(i % 60_000);
            journal.append(l).whenComplete((ok, e) -> {
                if (e == null) {
                    synchronized (System.out) {
                        System.out.println("acked " + l.mac());
                        System.out.flush();
                    }
                }
            });
            if (i % 8 == 0) {
                Thread.sleep(1);
            }
        }
    }
}

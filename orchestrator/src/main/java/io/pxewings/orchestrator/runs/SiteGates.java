package io.pxewings.orchestrator.runs;

import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import io.micrometer.core.instrument.MeterRegistry;
import io.pxewings.orchestrator.config.OrchestratorConfig;
import io.pxewings.orchestrator.workflow.Gate;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

/**
 * A site's caps on what stages use: a run entering a stage passes every gate the stage names, or
 * waits. Checked under the site's row lock in {@code site_gate}, so instances checking at once count
 * the same runs and the caps hold at every instant; waiters pass in the order they came (FIFO by
 * {@code gate_since}), and a newcomer never overtakes one.
 */
@ApplicationScoped
public class SiteGates {

    @Inject
    OrchestratorConfig config;

    @Inject
    MeterRegistry registry;

    /** Set when a transaction woke a waiter; the timer reads it after the commit ({@link #takeWoken}). */
    private final java.util.concurrent.atomic.AtomicBoolean woken = new java.util.concurrent.atomic.AtomicBoolean();

    /** Why a run waits, and when to look again: when the bucket has a token, or (a slot) when a holder leaves and wakes it, at the latest after the safety period. */
    public record Wait(String why, Duration retryIn) {
    }

    /** A waiter at a full slot is woken by the run that leaves; this is the latest it looks again anyway. */
    static final Duration SLOT_RECHECK = Duration.ofSeconds(30);

    /** The caps of one site, defaults overridden by {@code caps.sites."SITE".*}. */
    public record Caps(int powerOnsPerMinute, int powerOnBurst, int imageStreams, int bmcOperations) {
    }

    public Caps caps(String site) {
        OrchestratorConfig.Caps d = config.caps();
        OrchestratorConfig.SiteCaps s = d.sites().get(site);
        if (s == null) {
            return new Caps(d.powerOnsPerMinute(), d.powerOnBurst(), d.imageStreams(), d.bmcOperations());
        }
        return new Caps(s.powerOnsPerMinute().orElse(d.powerOnsPerMinute()), s.powerOnBurst().orElse(d.powerOnBurst()),
                s.imageStreams().orElse(d.imageStreams()), s.bmcOperations().orElse(d.bmcOperations()));
    }

    /**
     * Whether {@code run} may enter {@code stage} now; if it may, what it takes is taken (a power-on
     * token). Empty when it may; else why it waits.
     *
     * @param stagesUsing per gate, the stages (of every workflow) that hold it while a run is in them
     */
    public Optional<Wait> pass(Connection c, Run run, String stage, Set<Gate> gates, Map<Gate, List<String>> stagesUsing) throws SQLException {
        if (gates.isEmpty()) {
            return Optional.empty();
        }
        Caps caps = caps(run.site());
        double[] bucket = lockSite(c, run.site(), caps);
        Optional<Wait> older = olderWaiter(c, run, stage);
        Optional<Wait> full = closedGate(c, run, gates, caps, bucket, stagesUsing);
        if (older.isPresent() && full.isEmpty()) {
            // The slot is free but an older waiter goes first: wake it now. A leaver's wake can land here
            // instead of on the head of the queue (the head was locked then), and without this the slot
            // would sit idle until the head's safety recheck.
            wakeOldest(c, run, List.of(stage));
        }
        Optional<Wait> wait = older.isPresent() ? older : full;
        if (wait.isPresent()) {
            mark(c, run.id(), true);
            registry.counter("wings_orchestrator_gate_waits_total", "stage", stage).increment();
            return wait;
        }
        if (gates.contains(Gate.POWER_ON_RATE)) {
            take(c, run.site(), refilled(bucket, caps) - 1);
        }
        mark(c, run.id(), false);
        return Optional.empty();
    }

    /** Locks the site's row until the transaction ends: what decides for a whole site (admission) holds it. */
    public void lockSite(Connection c, String site) throws SQLException {
        lockSite(c, site, caps(site));
    }

    /** The bucket's tokens and refill time (epoch ms) of the site, its row locked until the transaction ends. */
    private static double[] lockSite(Connection c, String site, Caps caps) throws SQLException {
        try (PreparedStatement q = c.prepareStatement("INSERT INTO site_gate (site, tokens, refilled_at) VALUES (?, ?, now()) ON CONFLICT DO NOTHING")) {
            q.setString(1, site);
            q.setDouble(2, caps.powerOnBurst());
            q.executeUpdate();
        }
        try (PreparedStatement q = c.prepareStatement("SELECT tokens, refilled_at FROM site_gate WHERE site = ? FOR UPDATE")) {
            q.setString(1, site);
            try (ResultSet rs = q.executeQuery()) {
                rs.next();
                return new double[] {rs.getDouble(1), rs.getTimestamp(2).toInstant().toEpochMilli()};
            }
        }
    }

    private static double refilled(double[] bucket, Caps caps) {
        double elapsedMinutes = Math.max(0, Instant.now().toEpochMilli() - bucket[1]) / 60_000.0;
        return Math.min(caps.powerOnBurst(), bucket[0] + elapsedMinutes * caps.powerOnsPerMinute());
    }

    private static void take(Connection c, String site, double left) throws SQLException {
        try (PreparedStatement q = c.prepareStatement("UPDATE site_gate SET tokens = ?, refilled_at = now() WHERE site = ?")) {
            q.setDouble(1, left);
            q.setString(2, site);
            q.executeUpdate();
        }
    }

    /** A run of the site that waits at this stage's gates since before this one: it goes first. */
    private static Optional<Wait> olderWaiter(Connection c, Run run, String stage) throws SQLException {
        try (PreparedStatement q = c.prepareStatement("SELECT count(*) FROM run w WHERE w.site = ? AND w.status = 'running' AND w.stage = ?"
                + " AND w.deadline_action = 'gate' AND w.id <> ?::uuid"
                + " AND w.gate_since < COALESCE((SELECT gate_since FROM run WHERE id = ?::uuid), 'infinity'::timestamptz)")) {
            q.setString(1, run.site());
            q.setString(2, stage);
            q.setString(3, run.id());
            q.setString(4, run.id());
            try (ResultSet rs = q.executeQuery()) {
                rs.next();
                int ahead = rs.getInt(1);
                // Behind others, a run is woken in its turn (a leaver wakes the head, and a wake that lands behind the
                // head is passed to it); its own recheck is a safety net that comes later the further back it is, so
                // thousands of waiters do not recheck every 30 s for nothing (7,400 in the 10,000-machine storm).
                return ahead == 0 ? Optional.empty()
                        : Optional.of(new Wait(ahead + " runs of site " + run.site() + " wait for " + stage + " before it",
                                SLOT_RECHECK.plusSeconds(Math.min(ahead, 570))));
            }
        }
    }

    private static int inUse(Connection c, Run run, List<String> stages) throws SQLException {
        try (PreparedStatement q = c.prepareStatement("SELECT count(*) FROM run WHERE site = ? AND status = 'running' AND stage = ANY (?)"
                + " AND deadline_action <> 'gate' AND id <> ?::uuid")) {
            Array a = c.createArrayOf("text", stages.toArray());
            q.setString(1, run.site());
            q.setArray(2, a);
            q.setString(3, run.id());
            try (ResultSet rs = q.executeQuery()) {
                rs.next();
                return rs.getInt(1);
            }
        }
    }

    /**
     * A run leaves {@code stage}: if it held a slot there, the oldest waiter for that slot in its site
     * is due now (the timer lets it try), rather than at its safety recheck. FIFO, like the check.
     * Not one another leaver woke already ({@code deadline > now()}), and not one locked now: the
     * timer holds due waiters while it tries them, and waiting for that lock while holding the site's
     * deadlocked against the timer (seen in the storm bench); a locked waiter is being tried anyway.
     */
    public void left(Connection c, Run run, String stage, Set<Gate> held, Map<Gate, List<String>> stagesUsing) throws SQLException {
        for (Gate g : held) {
            if (g == Gate.POWER_ON_RATE) {
                continue;
            }
            wakeOldest(c, run, stagesUsing.getOrDefault(g, List.of()));
        }
    }

    /** The oldest waiter of the site at {@code stages} that nobody woke yet and nobody holds: due now. */
    private void wakeOldest(Connection c, Run run, List<String> stages) throws SQLException {
        try (PreparedStatement q = c.prepareStatement("UPDATE run SET deadline = now() WHERE id = (SELECT id FROM run"
                + " WHERE site = ? AND status = 'running' AND deadline_action = 'gate' AND stage = ANY (?) AND id <> ?::uuid"
                + " AND deadline > now() ORDER BY gate_since, id LIMIT 1 FOR UPDATE SKIP LOCKED)")) {
            q.setString(1, run.site());
            q.setArray(2, c.createArrayOf("text", stages.toArray()));
            q.setString(3, run.id());
            if (q.executeUpdate() > 0) {
                woken.set(true);
            }
        }
    }

    /** The first of the stage's gates that is closed now (no power-on token, or its slots all taken), and how long to wait. */
    private Optional<Wait> closedGate(Connection c, Run run, Set<Gate> gates, Caps caps, double[] bucket, Map<Gate, List<String>> stagesUsing)
            throws SQLException {
        for (Gate g : gates) {
            if (g == Gate.POWER_ON_RATE) {
                double tokens = refilled(bucket, caps);
                if (tokens < 1) {
                    long ms = (long) Math.ceil((1 - tokens) * 60_000.0 / Math.max(1, caps.powerOnsPerMinute()));
                    return Optional.of(new Wait(g.what() + ": " + caps.powerOnsPerMinute() + " a minute in site " + run.site()
                            + ", the next in " + ms + " ms", Duration.ofMillis(ms)));
                }
            } else {
                int cap = g == Gate.IMAGE_STREAMS ? caps.imageStreams() : caps.bmcOperations();
                int inUse = inUse(c, run, stagesUsing.getOrDefault(g, List.of()));
                if (inUse >= cap) {
                    return Optional.of(new Wait(g.what() + ": " + inUse + " of " + cap + " in use in site " + run.site(), SLOT_RECHECK));
                }
            }
        }
        return Optional.empty();
    }

    /** Whether a leaver woke a waiter since the last call: the timer then tries it at once, not at its next period. */
    public boolean takeWoken() {
        return woken.getAndSet(false);
    }

    private static void mark(Connection c, String runId, boolean waiting) throws SQLException {
        try (PreparedStatement q = c.prepareStatement(waiting ? "UPDATE run SET gate_since = now() WHERE id = ?::uuid AND gate_since IS NULL"
                : "UPDATE run SET gate_since = NULL WHERE id = ?::uuid")) {
            q.setString(1, runId);
            q.executeUpdate();
        }
    }
}

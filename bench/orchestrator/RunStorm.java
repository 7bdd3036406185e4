import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicIntegerArray;
import java.util.concurrent.atomic.AtomicLong;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;

import io.pxewings.events.EventSources;
import io.pxewings.events.EventTypes;
import io.pxewings.events.agent.AgentTask;
import io.pxewings.events.agent.FirstBoot;
import io.pxewings.events.agent.InventoryReported;
import io.pxewings.events.agent.TaskResult;
import io.pxewings.events.bmc.BmcCommand;
import io.pxewings.events.bmc.CommandResult;
import io.pxewings.events.catalog.EventType;
import io.pxewings.events.codec.CloudEventCodec;
import io.pxewings.events.codec.EncodedEvent;
import io.pxewings.events.codec.EventHeader;
import io.pxewings.events.codec.Traceparent;
import io.pxewings.events.codec.WingsEvent;
import io.pxewings.events.image.ImageChanged;
import io.pxewings.events.image.ImageSnapshot;
import io.pxewings.events.machine.MachineRegistered;
import io.pxewings.events.machine.MachineSnapshot;
import io.pxewings.events.service.ServiceStarted;

/**
 * The orchestrator under a storm of runs: MACHINES machines over SITES sites registered (as
 * inventory-service's facts), one provision run each started through the API, and every BMC and
 * RAM-OS agent played by this program at the Kafka level: it answers each BMC command and agent
 * task the orchestrator sends with the fact bmc-service or the agent would publish (a power cycle
 * is followed by the RAM OS's inventory, a kexec by the first boot). Holds: a BMC command takes
 * BMC_MS, an image write WRITE_MS, so the site caps bind.
 *
 * Printed: runs/minute, state transitions/s (run_history rows), fact-to-command latency p50/p99/max
 * (from this program publishing a fact to it receiving the command the fact caused), the most image
 * writes and BMC operations seen in flight per site against the caps, and what was lost or done twice.
 * Why a simulator: the real edges (lab, QEMU) give a handful of machines on this box, not thousands;
 * the lab test proves the same exchange against the real bmc-service and agent.
 *
 *   java -cp <infra classpath> RunStorm.java BOOTSTRAP JDBC_URL ORCHESTRATOR_URL MACHINES SITES TIMEOUT_S BMC_MS WRITE_MS CAP_IMAGE CAP_BMC
 */
public class RunStorm {

    static KafkaProducer<String, byte[]> producer;
    static final Map<String, Long> lastFact = new ConcurrentHashMap<>();      // machine id -> nanos when its last fact was sent
    static final List<Long> latencies = java.util.Collections.synchronizedList(new ArrayList<>());
    static final Map<String, Instant> sentAt = new ConcurrentHashMap<>();    // event id -> when a fact that moves a run was sent
    static final Map<String, Machine> byId = new HashMap<>();
    static final Map<String, Machine> byMac = new HashMap<>();
    static AtomicIntegerArray writes;
    static AtomicIntegerArray bmcOps;
    static AtomicIntegerArray maxWrites;
    static AtomicIntegerArray maxBmc;
    static final AtomicLong commandsSeen = new AtomicLong();
    static final ScheduledExecutorService later = Executors.newScheduledThreadPool(2);
    static int bmcMs;
    static int writeMs;

    record Machine(String id, String mac, String site, int siteIndex, String[] bootId) {
    }

    public static void main(String[] args) throws Exception {
        String bootstrap = args[0];
        String jdbc = args[1];
        String orchestrator = args[2];
        int machines = Integer.parseInt(args[3]);
        int sites = Integer.parseInt(args[4]);
        int timeout = Integer.parseInt(args[5]);
        bmcMs = Integer.parseInt(args[6]);
        writeMs = Integer.parseInt(args[7]);
        int capImage = Integer.parseInt(args[8]);
        int capBmc = Integer.parseInt(args[9]);
        String tag = Long.toHexString(System.nanoTime() & 0xffffff);
        writes = new AtomicIntegerArray(sites);
        bmcOps = new AtomicIntegerArray(sites);
        maxWrites = new AtomicIntegerArray(sites);
        maxBmc = new AtomicIntegerArray(sites);

        Properties p = new Properties();
        p.put("bootstrap.servers", bootstrap);
        p.put("acks", "all");
        p.put("linger.ms", "1");
        producer = new KafkaProducer<>(p, new StringSerializer(), new ByteArraySerializer());
        AtomicBoolean stop = new AtomicBoolean();
        Thread answering = answerer(bootstrap, stop);

        String image = "storm-" + tag;
        List<List<String>> idsPerSite = new ArrayList<>();
        for (int s = 0; s < sites; s++) {
            String site = site(tag, s);
            idsPerSite.add(new ArrayList<>());
            send(EventTypes.SERVICE_STARTED, "image-service/" + site, site, new ServiceStarted("image-service", "edge-1", site, "bench",
                    "edge-1", 1, "http://10.250." + s + ".1:8085", Instant.now()));
        }
        send(EventTypes.IMAGE_PUBLISHED, image, "central", new ImageChanged(new ImageSnapshot(UUID.randomUUID().toString(), image, "1", "bench",
                "x86_64", "both", "raw.zst", 1000, "a".repeat(64), 64L << 20, "b".repeat(64), Map.of(), "sig", "key",
                Map.of("root", "3", "kernel", "/boot/vmlinuz", "initrd", "/boot/initrd.img", "cmdline", "ro"), "published", true,
                Instant.now(), Instant.now(), null, null), null, "bench"));
        for (int i = 0; i < machines; i++) {
            int s = i % sites;
            String site = site(tag, s);
            String id = UUID.randomUUID().toString();
            String mac = String.format("0a:%02x:%02x:%02x:%02x:%02x", (i >> 24) & 255, (i >> 16) & 255, (i >> 8) & 255, i & 255,
                    Integer.parseInt(tag.substring(0, 2), 16));
            Machine m = new Machine(id, mac, site, s, new String[1]);
            byId.put(id, m);
            byMac.put(mac, m);
            idsPerSite.get(s).add(id);
            MachineSnapshot snap = new MachineSnapshot(id, site, "n" + i, "inventoried", null, null, null, null, null, null, "bios", null,
                    null, null, null, null, Map.of("storm", tag), List.of(new MachineSnapshot.MachineNic(mac, "eth0", null, true, true, null)),
                    List.of(), new MachineSnapshot.BmcEndpoint("10.251.0.1", "ipmi", "vault:x"), 1, Instant.now(), Instant.now());
            send(EventTypes.MACHINE_REGISTERED, id, site, new MachineRegistered(snap, "bench"));
        }
        producer.flush();
        System.out.printf("registered %d machines over %d sites (tag %s)%n", machines, sites, tag);

        lastFact.clear();   // a run's first command answers the API's request, not a fact
        HttpClient http = HttpClient.newHttpClient();
        long t0 = System.nanoTime();
        Instant started = Instant.now();
        for (int s = 0; s < sites; s++) {
            String body = "{\"machines\":[\"" + String.join("\",\"", idsPerSite.get(s)) + "\"],\"image\":\"" + image + ":1\"}";
            long until = System.nanoTime() + 180_000_000_000L;
            while (true) {
                HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(orchestrator + "/api/v1/runs"))
                        .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body)).build(),
                        HttpResponse.BodyHandlers.ofString());
                if (r.statusCode() == 202) {
                    break;
                }
                if (System.nanoTime() > until) {
                    throw new IllegalStateException("runs not started: " + r.statusCode() + " " + r.body());
                }
                Thread.sleep(500);   // the orchestrator's views have not caught up with the machines yet
            }
        }
        double startSeconds = (System.nanoTime() - t0) / 1e9;
        System.out.printf("started %d runs in %.1f s%n", machines, startSeconds);

        long succeeded = 0;
        long failed = 0;
        String killed = System.getenv("KILLED");
        String killPid = killed == null || killed.isEmpty() ? null : System.getenv("KILL_PID");
        long killedAt = 0;
        try (Connection db = DriverManager.getConnection(jdbc, "postgres", "postgres"); Statement q = db.createStatement()) {
            long deadline = t0 + timeout * 1_000_000_000L;
            long lastPrint = 0;
            while (System.nanoTime() < deadline) {
                try (ResultSet rs = q.executeQuery("SELECT count(*) FILTER (WHERE status = 'succeeded'), count(*) FILTER (WHERE status IN ('failed', 'cancelled'))"
                        + " FROM run WHERE site LIKE 'st" + tag + "-%'")) {
                    rs.next();
                    succeeded = rs.getLong(1);
                    failed = rs.getLong(2);
                }
                if (succeeded + failed >= machines) {
                    break;
                }
                if (killPid != null && killedAt == 0) {
                    try (ResultSet rs = q.executeQuery("SELECT count(DISTINCT h.run_id) FROM run_history h JOIN run r ON r.id = h.run_id"
                            + " WHERE r.site LIKE 'st" + tag + "-%' AND h.instance = '" + killed + "' AND h.what = 'entered'")) {
                        rs.next();
                        if (rs.getLong(1) >= 20) {
                            ProcessHandle.of(Long.parseLong(killPid)).ifPresent(ProcessHandle::destroyForcibly);   // SIGKILL: no goodbye to the group
                            killedAt = System.nanoTime();
                            System.out.printf("== killed %s (pid %s) with -9 after it moved %d runs, %.1f s into the storm; %d of %d succeeded%n",
                                    killed, killPid, rs.getLong(1), (killedAt - t0) / 1e9, succeeded, machines);
                        }
                    }
                }
                if (System.nanoTime() - lastPrint > 10_000_000_000L) {
                    lastPrint = System.nanoTime();
                    System.out.printf("  %5.0f s: %d succeeded, %d failed, %d commands answered%n", (lastPrint - t0) / 1e9, succeeded, failed,
                            commandsSeen.get());
                }
                Thread.sleep(200);
            }
            double seconds = (System.nanoTime() - t0) / 1e9;
            stop.set(true);
            answering.join(5000);
            long transitions;
            long twice;
            long runsPerMachine;
            try (ResultSet rs = q.executeQuery("SELECT count(*) FROM run_history h JOIN run r ON r.id = h.run_id WHERE r.site LIKE 'st" + tag + "-%'")) {
                rs.next();
                transitions = rs.getLong(1);
            }
            try (ResultSet rs = q.executeQuery("SELECT count(*) FROM (SELECT h.run_id, h.stage FROM run_history h JOIN run r ON r.id = h.run_id"
                    + " WHERE r.site LIKE 'st" + tag + "-%' AND h.what = 'entered' GROUP BY 1, 2 HAVING count(*) > 1) d")) {
                rs.next();
                twice = rs.getLong(1);
            }
            try (ResultSet rs = q.executeQuery("SELECT count(*) FROM (SELECT machine_id FROM run WHERE site LIKE 'st" + tag + "-%'"
                    + " GROUP BY 1 HAVING count(*) > 1) d")) {
                rs.next();
                runsPerMachine = rs.getLong(1);
            }
            try (ResultSet rs = q.executeQuery("SELECT stage, status, deadline_action, count(*), min(updated_at) FROM run WHERE site LIKE 'st" + tag
                    + "-%' AND status IN ('queued', 'running') GROUP BY 1, 2, 3 ORDER BY 4 DESC")) {
                while (rs.next()) {
                    System.out.printf("  unfinished: %d in %s (%s, deadline action %s), oldest change %s%n", rs.getLong(4), rs.getString(1),
                            rs.getString(2), rs.getString(3), rs.getTimestamp(5).toInstant());
                }
            }
            // After a kill -9 of instance KILLED: runs it had moved (past their start) that another instance finished.
            long handedOver = 0;
            double handOverSeconds = 0;
            if (killedAt != 0) {
                try (ResultSet rs = q.executeQuery("SELECT count(*) FROM run r WHERE r.site LIKE 'st" + tag + "-%' AND r.status = 'succeeded'"
                        + " AND EXISTS (SELECT 1 FROM run_history h WHERE h.run_id = r.id AND h.instance = '" + killed + "' AND h.what <> 'requested')"
                        + " AND EXISTS (SELECT 1 FROM run_history h WHERE h.run_id = r.id AND h.what = 'succeeded' AND h.instance <> '" + killed + "')")) {
                    rs.next();
                    handedOver = rs.getLong(1);
                }
                // The hand-over: from the kill to the first line another instance wrote for a run the killed one had moved.
                try (ResultSet rs = q.executeQuery("SELECT min(h.at) FROM run_history h JOIN run r ON r.id = h.run_id WHERE r.site LIKE 'st" + tag
                        + "-%' AND h.instance <> '" + killed + "' AND h.at > now() - make_interval(secs => " + (System.nanoTime() - killedAt) / 1e9
                        + ") AND EXISTS (SELECT 1 FROM run_history k WHERE k.run_id = r.id AND k.instance = '" + killed + "' AND k.what <> 'requested'"
                        + " AND k.id < h.id) AND NOT EXISTS (SELECT 1 FROM run_history k WHERE k.run_id = r.id AND k.instance = '" + killed
                        + "' AND k.id > h.id)")) {
                    rs.next();
                    java.sql.Timestamp first = rs.getTimestamp(1);
                    try (ResultSet now = q.executeQuery("SELECT now()")) {
                        now.next();
                        handOverSeconds = first == null ? -1 : (first.getTime() - now.getTimestamp(1).getTime()) / 1e3 + (System.nanoTime() - killedAt) / 1e9;
                    }
                }
            }
            // The engine alone, without the caps' queues: from a fact sent to the start of the transaction that applied it.
            List<Long> appliedMs = new ArrayList<>();
            List<String> ids = new ArrayList<>(sentAt.keySet());
            try (java.sql.PreparedStatement ps = db.prepareStatement("SELECT event_id, at FROM processed_fact WHERE event_id = ANY (?)")) {
                for (int i = 0; i < ids.size(); i += 5000) {
                    ps.setArray(1, db.createArrayOf("text", ids.subList(i, Math.min(ids.size(), i + 5000)).toArray()));
                    try (ResultSet rs = ps.executeQuery()) {
                        while (rs.next()) {
                            appliedMs.add(Math.max(0, rs.getTimestamp(2).toInstant().toEpochMilli() - sentAt.get(rs.getString(1)).toEpochMilli()));
                        }
                    }
                }
            }
            long[] applied = appliedMs.stream().mapToLong(Long::longValue).sorted().toArray();
            long[] lat = latencies.stream().mapToLong(Long::longValue).sorted().toArray();
            int mw = 0;
            int mb = 0;
            for (int s = 0; s < sites; s++) {
                mw = Math.max(mw, maxWrites.get(s));
                mb = Math.max(mb, maxBmc.get(s));
            }
            System.out.printf("RESULT machines=%d sites=%d succeeded=%d failed=%d seconds=%.1f runs_per_min=%.0f transitions=%d transitions_per_s=%.0f"
                    + " fact_to_command_p50_ms=%.1f p99_ms=%.1f max_ms=%.1f samples=%d max_writes_per_site=%d cap_image=%d max_bmc_per_site=%d cap_bmc=%d"
                    + " stages_entered_twice=%d machines_with_two_runs=%d runs_finished_by_another_instance=%s hand_over_s=%s"
                    + " fact_to_applied_p50_ms=%d fact_to_applied_p99_ms=%d applied_samples=%d redelivered_commands=%d%n",
                    machines, sites, succeeded, failed, seconds, succeeded / seconds * 60, transitions, transitions / seconds,
                    pct(lat, 0.50), pct(lat, 0.99), lat.length == 0 ? 0 : lat[lat.length - 1] / 1e6, lat.length, mw, capImage, mb, capBmc,
                    twice, runsPerMachine, killedAt == 0 ? "-" : Long.toString(handedOver),
                    killedAt == 0 ? "-" : String.format("%.1f", handOverSeconds),
                    applied.length == 0 ? 0 : applied[(int) (applied.length * 0.50)], applied.length == 0 ? 0 : applied[Math.min(applied.length - 1, (int) (applied.length * 0.99))],
                    applied.length, redelivered.get());
        }
        producer.close();
        later.shutdownNow();
        System.exit(0);
    }

    static double pct(long[] sorted, double q) {
        return sorted.length == 0 ? 0 : sorted[Math.min(sorted.length - 1, (int) Math.floor(q * sorted.length))] / 1e6;
    }

    static String site(String tag, int s) {
        return "st" + tag + "-" + s;
    }

    /** Reads the commands and tasks the orchestrator sends and answers each as the BMC or the agent would. */
    static Thread answerer(String bootstrap, AtomicBoolean stop) {
        Properties c = new Properties();
        c.put("bootstrap.servers", bootstrap);
        c.put("enable.auto.commit", "false");
        KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(c, new StringDeserializer(), new ByteArrayDeserializer());
        List<TopicPartition> parts = new ArrayList<>();
        for (String topic : List.of("wings.bmc.commands", "wings.agent.tasks")) {
            consumer.partitionsFor(topic).forEach(pi -> parts.add(new TopicPartition(topic, pi.partition())));
        }
        consumer.assign(parts);
        consumer.seekToEnd(parts);
        parts.forEach(consumer::position);
        Thread t = new Thread(() -> {
            try (consumer) {
                while (!stop.get()) {
                    for (ConsumerRecord<String, byte[]> r : consumer.poll(Duration.ofMillis(100))) {
                        if (r.value() == null) {
                            continue;   // a task cleared
                        }
                        List<EventHeader> headers = new ArrayList<>();
                        for (Header h : r.headers()) {
                            headers.add(EventHeader.of(h.key(), h.value()));
                        }
                        WingsEvent<?> e = CloudEventCodec.decode(r.key(), headers, r.value());
                        if (e.data() instanceof BmcCommand cmd) {
                            bmc(cmd);
                        } else if (e.data() instanceof AgentTask task) {
                            agent(task);
                        }
                    }
                }
            }
        }, "answerer");
        t.setDaemon(true);
        t.start();
        return t;
    }

    static void caused(String machineId) {
        commandsSeen.incrementAndGet();
        Long sent = lastFact.remove(machineId);
        if (sent != null) {
            latencies.add(System.nanoTime() - sent);
        }
    }

    /**
     * Commands and tasks carried out, by id. The outbox is at least once (an instance killed in the
     * middle of a relay round leaves the rows it sent for the next relay, which sends them again);
     * bmc-service carries out a command id once and the RAM-OS agent ignores a task id it has done,
     * so the simulated ones do too, and count the copies.
     */
    static final java.util.Set<String> carriedOut = ConcurrentHashMap.newKeySet();
    static final AtomicLong redelivered = new AtomicLong();

    static boolean firstTime(String id) {
        if (carriedOut.add(id)) {
            return true;
        }
        redelivered.incrementAndGet();
        return false;
    }

    static void bmc(BmcCommand cmd) {
        Machine m = byId.get(cmd.machineId());
        if (m == null || !firstTime(cmd.commandId())) {
            return;
        }
        caused(m.id());
        boolean powerOnStart = cmd.action().equals("set-boot-device") && "pxe".equals(cmd.bootDevice());
        if (powerOnStart) {
            maxOf(maxBmc, m.siteIndex(), bmcOps.incrementAndGet(m.siteIndex()));
        }
        later.schedule(() -> {
            String power = cmd.action().equals("power-off") ? "off" : "on";
            send(EventTypes.BMC_COMMAND_COMPLETED, m.id(), m.site(), new CommandResult(cmd.commandId(), m.id(), cmd.action(), null, "ok", 1, power, bmcMs));
            if (cmd.action().equals("power-cycle")) {
                bmcOps.decrementAndGet(m.siteIndex());
                // The machine PXE-boots the RAM OS, whose agent reports: a new boot.
                m.bootId()[0] = UUID.randomUUID().toString();
                send(EventTypes.AGENT_INVENTORY_REPORTED, m.mac(), m.site(), new InventoryReported(m.mac(), "bios", null, null, null, null, null,
                        null, null, null, null, 1L << 30, List.of(), List.of(), "bench", m.bootId()[0]));
            }
        }, cmd.action().equals("set-boot-device") ? 0 : bmcMs, TimeUnit.MILLISECONDS);
    }

    static void agent(AgentTask task) {
        Machine m = byMac.get(task.mac());
        if (m == null || !firstTime(task.id())) {
            return;
        }
        caused(m.id());
        boolean write = task.kind().equals("write-image");
        if (write) {
            maxOf(maxWrites, m.siteIndex(), writes.incrementAndGet(m.siteIndex()));
        }
        later.schedule(() -> {
            if (write) {
                writes.decrementAndGet(m.siteIndex());
            }
            send(EventTypes.AGENT_TASK_COMPLETED, m.mac(), m.site(), new TaskResult(m.mac(), task.id(), task.kind(), task.kind() + " done", Map.of()));
            if (task.kind().equals("kexec")) {
                send(EventTypes.AGENT_FIRST_BOOT, m.mac(), m.site(), new FirstBoot(m.mac(), m.bootId()[0], "i-" + m.id(), "n", null, "10.0.0.1", Map.of()));
            }
        }, write ? writeMs : 0, TimeUnit.MILLISECONDS);
    }

    static void maxOf(AtomicIntegerArray max, int i, int v) {
        max.accumulateAndGet(i, v, Math::max);
    }

    static <T extends Record> void send(EventType<T> type, String key, String site, T data) {
        WingsEvent<T> event = new WingsEvent<>(UUID.randomUUID().toString(), type, EventSources.of(site, "bench", "storm"), key, site,
                Instant.now(), Traceparent.newRoot(), key, data);
        EncodedEvent e = CloudEventCodec.encode(event);
        RecordHeaders h = new RecordHeaders();
        for (EventHeader x : e.headers()) {
            h.add(x.name(), x.valueBytes());
        }
        Machine m = byId.get(key) != null ? byId.get(key) : byMac.get(key);
        if (m != null) {
            lastFact.put(m.id(), System.nanoTime());
            sentAt.put(event.id(), event.time());
        }
        producer.send(new ProducerRecord<>(e.topic(), null, e.key(), e.value(), h));
    }
}

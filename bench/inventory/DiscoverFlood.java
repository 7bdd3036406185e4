import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Instant;
import java.util.List;
import java.util.Properties;
import java.util.UUID;

import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;

import io.pxewings.events.EventSources;
import io.pxewings.events.EventTypes;
import io.pxewings.events.agent.InventoryReported;
import io.pxewings.events.codec.CloudEventCodec;
import io.pxewings.events.codec.EncodedEvent;
import io.pxewings.events.codec.EventHeader;
import io.pxewings.events.codec.Traceparent;
import io.pxewings.events.codec.WingsEvent;
import io.pxewings.events.dhcp.DiscoverSeen;

/**
 * inventory-service's discovery throughput: publishes COUNT discover.seen facts (new MACs, as a
 * rack of machines powering on), then COUNT inventory.reported facts for the same MACs, and times
 * how long inventory-service takes to register, then inventory, all of them (read from its
 * database). Bounded: COUNT events per phase, TIMEOUT seconds per phase.
 *
 *   java -cp <infra classpath> DiscoverFlood.java BOOTSTRAP JDBC_URL SITE COUNT TIMEOUT_SECONDS
 */
public class DiscoverFlood {

    public static void main(String[] args) throws Exception {
        String bootstrap = args[0];
        String jdbc = args[1];
        String site = args[2];
        int count = Integer.parseInt(args[3]);
        int timeout = Integer.parseInt(args[4]);
        Properties p = new Properties();
        p.put("bootstrap.servers", bootstrap);
        p.put("acks", "all");
        p.put("linger.ms", "5");
        String[] macs = new String[count];
        for (int i = 0; i < count; i++) {
            long r = UUID.randomUUID().getLeastSignificantBits();
            macs[i] = String.format("06:%02x:%02x:%02x:%02x:%02x", (r >>> 32) & 0xff, (r >>> 24) & 0xff, (r >>> 16) & 0xff,
                    (r >>> 8) & 0xff, r & 0xff);
        }
        try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(p, new StringSerializer(), new ByteArraySerializer());
             Connection db = DriverManager.getConnection(jdbc, "postgres", "postgres")) {
            phase("discover", count, timeout, db, "select count(*) from machine where site = ?", site, () -> {
                for (String mac : macs) {
                    send(producer, new WingsEvent<>(UUID.randomUUID().toString(), EventTypes.DHCP_DISCOVER_SEEN,
                            EventSources.of(site, "dhcp-service", "bench"), mac, site, Instant.now(), Traceparent.newRoot(), mac,
                            new DiscoverSeen(mac, "X86_BIOS", 0, "BIOS", "PXEClient:Arch:00000:UNDI:002001", List.of(), null, null)));
                }
                producer.flush();
            });
            phase("inventory", count, timeout, db, "select count(*) from machine where site = ? and state = 'inventoried'", site, () -> {
                for (String mac : macs) {
                    InventoryReported r = new InventoryReported(mac, "bios", UUID.randomUUID().toString(), "SN-" + mac, "QEMU",
                            "Standard PC", "", "QEMU Virtual CPU", 1, 2, 2, 512L << 20,
                            List.of(new InventoryReported.Disk("vda", 2L << 30, "QEMU HARDDISK", "D-" + mac, true, null)),
                            List.of(new InventoryReported.Nic("eth0", mac, 1000, true)), "bench", null);
                    send(producer, new WingsEvent<>(UUID.randomUUID().toString(), EventTypes.AGENT_INVENTORY_REPORTED,
                            EventSources.of(site, "http-boot-service", "bench"), mac, site, Instant.now(), Traceparent.newRoot(),
                            mac, r));
                }
                producer.flush();
            });
        }
    }

    interface Work {
        void run() throws Exception;
    }

    static void phase(String name, int count, int timeout, Connection db, String sql, String site, Work publish) throws Exception {
        long t0 = System.nanoTime();
        publish.run();
        double published = (System.nanoTime() - t0) / 1e9;
        long deadline = t0 + timeout * 1_000_000_000L;
        long done = 0;
        try (PreparedStatement q = db.prepareStatement(sql)) {
            q.setString(1, site);
            while (System.nanoTime() < deadline) {
                try (ResultSet rs = q.executeQuery()) {
                    rs.next();
                    done = rs.getLong(1);
                }
                if (done >= count) {
                    break;
                }
                Thread.sleep(50);
            }
        }
        double seconds = (System.nanoTime() - t0) / 1e9;
        System.out.printf("%s: %d of %d applied in %.2f s = %.0f events/s (published in %.2f s)%n", name, done, count,
                seconds, done / seconds, published);
        if (done < count) {
            System.exit(1);
        }
    }

    static void send(KafkaProducer<String, byte[]> producer, WingsEvent<?> event) {
        EncodedEvent e = CloudEventCodec.encode(event);
        RecordHeaders h = new RecordHeaders();
        for (EventHeader x : e.headers()) {
            h.add(x.name(), x.valueBytes());
        }
        producer.send(new ProducerRecord<>(e.topic(), null, e.key(), e.value(), h));
    }
}

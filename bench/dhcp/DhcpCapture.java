import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads a tcpdump capture taken beside the server under test and reports, the same way for every
 * server, what perfdhcp alone cannot: server response time percentiles per exchange, and replies
 * that do not fit the conversation (a REQUEST for an address the server never offered that
 * client, one address offered to two clients at once). Single-file program: `java DhcpCapture.java
 * FILE.pcap`. Prints a human report, then one line `SUMMARY do_p50 do_p99 ra_p50 ra_p99 naks
 * unanswered mismatches` (milliseconds) for the benchmark script.
 *
 * <p>Formats: pcap (microsecond and nanosecond magic, either byte order), link type Ethernet (1) or
 * Linux cooked (113); BOOTP per RFC 2131 §2, options per RFC 2132 (53 message type, 50 requested
 * address).
 */
public final class DhcpCapture {

    record Msg(double t, int op, int type, long xid, String mac, String yiaddr, String requested) {
    }

    public static void main(String[] args) throws IOException {
        List<Msg> msgs = read(Path.of(args[0]));
        Map<String, Msg> pending = new HashMap<>();   // xid/mac/exchange -> last request
        List<Double> doTimes = new ArrayList<>();
        List<Double> raTimes = new ArrayList<>();
        Map<String, String> lastOfferTo = new HashMap<>();   // mac -> address
        Map<String, String> offeredTo = new HashMap<>();     // address -> mac (its latest offer)
        int naks = 0;
        int mismatches = 0;
        List<String> examples = new ArrayList<>();
        for (Msg m : msgs) {
            String exchange = m.type == 1 || m.type == 2 ? "DO" : "RA";
            String key = m.xid + "/" + m.mac + "/" + exchange;
            if (m.op == 1 && (m.type == 1 || m.type == 3)) {
                pending.put(key, m);
                if (m.type == 3 && m.requested != null && lastOfferTo.containsKey(m.mac)
                        && !m.requested.equals(lastOfferTo.get(m.mac))) {
                    mismatches++;
                    if (examples.size() < 10) {
                        examples.add(String.format("%.6f REQUEST xid %x from %s asks for %s; offered to it: %s; %s last offered to %s",
                                m.t, m.xid, m.mac, m.requested, lastOfferTo.get(m.mac), m.requested, offeredTo.get(m.requested)));
                    }
                }
            } else if (m.op == 2) {
                if (m.type == 2) {
                    String other = offeredTo.get(m.yiaddr);
                    if (other != null && !other.equals(m.mac) && examples.size() < 10) {
                        examples.add(String.format("%.6f OFFER xid %x of %s to %s; it was last offered to %s",
                                m.t, m.xid, m.yiaddr, m.mac, other));
                    }
                    lastOfferTo.put(m.mac, m.yiaddr);
                    offeredTo.put(m.yiaddr, m.mac);
                }
                if (m.type == 6) {
                    naks++;
                }
                Msg req = pending.remove(key);
                if (req != null) {
                    (exchange.equals("DO") ? doTimes : raTimes).add((m.t - req.t) * 1000);
                }
            }
        }
        System.out.printf("DISCOVER->OFFER %s%nREQUEST->ACK/NAK %s%nNAKs %d, requests never answered %d, REQUESTs for an address not offered to that client %d%n",
                stats(doTimes), stats(raTimes), naks, pending.size(), mismatches);
        examples.forEach(e -> System.out.println("  " + e));
        System.out.printf("SUMMARY %.2f %.2f %.2f %.2f %d %d %d%n", pct(doTimes, 50), pct(doTimes, 99), pct(raTimes, 50),
                pct(raTimes, 99), naks, pending.size(), mismatches);
    }

    static String stats(List<Double> times) {
        return String.format("n=%d p50=%.2f ms p90=%.2f ms p99=%.2f ms max=%.2f ms", times.size(), pct(times, 50),
                pct(times, 90), pct(times, 99), pct(times, 100));
    }

    static double pct(List<Double> times, double p) {
        if (times.isEmpty()) {
            return Double.NaN;
        }
        double[] a = times.stream().mapToDouble(Double::doubleValue).toArray();
        Arrays.sort(a);
        int i = (int) Math.ceil(p / 100 * a.length) - 1;
        return a[Math.max(0, Math.min(a.length - 1, i))];
    }

    static List<Msg> read(Path file) throws IOException {
        List<Msg> out = new ArrayList<>();
        try (DataInputStream in = new DataInputStream(new java.io.BufferedInputStream(Files.newInputStream(file), 1 << 20))) {
            byte[] header = new byte[24];
            in.readFully(header);
            ByteBuffer h = ByteBuffer.wrap(header).order(ByteOrder.LITTLE_ENDIAN);
            int magic = h.getInt(0);
            if (magic != 0xa1b2c3d4 && magic != 0xa1b23c4d) {
                h.order(ByteOrder.BIG_ENDIAN);
                magic = h.getInt(0);
            }
            boolean nanos = magic == 0xa1b23c4d;
            if (magic != 0xa1b2c3d4 && !nanos) {
                throw new IOException("not a pcap file: " + file);
            }
            int link = h.getInt(20);
            int linkHeader = link == 1 ? 14 : link == 113 ? 16 : -1;
            if (linkHeader < 0) {
                throw new IOException("link type " + link + " not supported (Ethernet or Linux cooked only)");
            }
            byte[] rec = new byte[16];
            while (true) {
                try {
                    in.readFully(rec);
                } catch (EOFException end) {
                    return out;
                }
                ByteBuffer r = ByteBuffer.wrap(rec).order(h.order());
                double t = r.getInt(0) + (r.getInt(4) & 0xffffffffL) / (nanos ? 1e9 : 1e6);
                byte[] data = new byte[r.getInt(8)];
                try {
                    in.readFully(data);
                } catch (EOFException torn) {
                    return out;   // a capture cut mid-record: keep what is whole
                }
                Msg m = parse(t, ByteBuffer.wrap(data), linkHeader);
                if (m != null) {
                    out.add(m);
                }
            }
        }
    }

    /** Ethernet/IPv4/UDP/BOOTP, or null when the frame is something else or cut short. */
    static Msg parse(double t, ByteBuffer b, int l2) {
        try {
            int ip = l2;
            if ((b.get(ip) >> 4) != 4 || b.get(ip + 9) != 17) {
                return null;
            }
            int udp = ip + (b.get(ip) & 0xf) * 4;
            int bootp = udp + 8;
            int op = b.get(bootp);
            long xid = b.getInt(bootp + 4) & 0xffffffffL;
            String yiaddr = ipv4(b, bootp + 16);
            StringBuilder mac = new StringBuilder();
            for (int i = 0; i < 6; i++) {
                mac.append(i == 0 ? "" : ":").append(String.format("%02x", b.get(bootp + 28 + i)));
            }
            int type = 0;
            String requested = null;
            int o = bootp + 240;   // after the magic cookie (RFC 2131 §3)
            while (o < b.limit()) {
                int code = b.get(o) & 0xff;
                if (code == 255) {
                    break;
                }
                if (code == 0) {
                    o++;
                    continue;
                }
                int len = b.get(o + 1) & 0xff;
                if (code == 53) {
                    type = b.get(o + 2);
                } else if (code == 50 && len == 4) {
                    requested = ipv4(b, o + 2);
                }
                o += 2 + len;
            }
            return new Msg(t, op, type, xid, mac.toString(), yiaddr, requested);
        } catch (IndexOutOfBoundsException cut) {
            return null;
        }
    }

    static String ipv4(ByteBuffer b, int at) {
        return (b.get(at) & 0xff) + "." + (b.get(at + 1) & 0xff) + "." + (b.get(at + 2) & 0xff) + "." + (b.get(at + 3) & 0xff);
    }
}

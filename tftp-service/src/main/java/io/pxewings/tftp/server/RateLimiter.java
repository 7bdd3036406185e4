package io.pxewings.tftp.server;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A token bucket per client address: {@code perSecond} requests a second, bursts up to twice that.
 * Buckets of clients not seen for a while are forgotten (at most {@code maxClients} kept).
 * Event-loop only.
 */
final class RateLimiter {

    private final double perSecond;
    private final double burst;
    private final Map<String, Bucket> buckets;

    private static final class Bucket {
        double tokens;
        long at;

        Bucket(double tokens, long at) {
            this.tokens = tokens;
            this.at = at;
        }
    }

    RateLimiter(int perSecond, int maxClients) {
        this.perSecond = perSecond;
        this.burst = 2.0 * perSecond;
        this.buckets = new LinkedHashMap<>(256, 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<String, Bucket> eldest) {
                return size() > maxClients;
            }
        };
    }

    /** Takes one token for {@code client} at {@code nanos}; false when its bucket is empty. */
    boolean allow(String client, long nanos) {
        Bucket b = buckets.computeIfAbsent(client, c -> new Bucket(burst, nanos));
        b.tokens = Math.min(burst, b.tokens + (nanos - b.at) / 1e9 * perSecond);
        b.at = nanos;
        if (b.tokens < 1) {
            return false;
        }
        b.tokens -= 1;
        return true;
    }
}

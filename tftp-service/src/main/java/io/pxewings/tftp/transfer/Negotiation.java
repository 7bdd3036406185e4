package io.pxewings.tftp.transfer;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

import io.pxewings.tftp.codec.TftpPacket;

/**
 * Option negotiation for a read request (RFC 2347 §2). Known options the server accepts go into
 * the OACK with the value it chose; unknown ones are ignored, as the RFC says. A value outside
 * the range its RFC defines refuses the request (error 8); a legal value above this server's limit
 * is lowered, which RFC 2348 §2 and RFC 7440 §4 allow.
 *
 * @param blksize    RFC 2348: 8..65464 octets per DATA packet (512 without the option)
 * @param windowsize RFC 7440: 1..65535 DATA packets in flight (1 without the option)
 * @param timeout    RFC 2349: 1..255 s before a retransmission (the server's default without it)
 * @param oack       what to answer in the OACK, in the client's order; empty: no OACK, DATA 1 first
 */
public record Negotiation(int blksize, int windowsize, Duration timeout, Map<String, String> oack) {

    public static final int DEFAULT_BLKSIZE = 512;

    /** This server's limits. */
    public record Limits(int maxBlksize, int maxWindowsize, Duration defaultTimeout) {
    }

    /** The request's options cannot be honoured: answered with error 8 (RFC 2347). */
    public static final class Refused extends Exception {
        public Refused(String message) {
            super(message, null, false, false);
        }
    }

    public static Negotiation of(TftpPacket.Request request, long size, Limits limits) throws Refused {
        int blksize = DEFAULT_BLKSIZE;
        int windowsize = 1;
        Duration timeout = limits.defaultTimeout();
        Map<String, String> oack = new LinkedHashMap<>();
        for (var e : request.options().entrySet()) {
            String name = e.getKey().toLowerCase(Locale.ROOT);
            String value = e.getValue();
            switch (name) {
                case "blksize" -> {
                    blksize = (int) Math.min(number(name, value, 8, 65464), limits.maxBlksize());
                    oack.put(e.getKey(), Integer.toString(blksize));
                }
                case "windowsize" -> {
                    windowsize = (int) Math.min(number(name, value, 1, 65535), limits.maxWindowsize());
                    oack.put(e.getKey(), Integer.toString(windowsize));
                }
                case "timeout" -> {
                    timeout = Duration.ofSeconds(number(name, value, 1, 255));
                    oack.put(e.getKey(), value.trim());
                }
                case "tsize" -> {
                    // RFC 2349: a reader sends 0 and the server answers with the size it will send.
                    number(name, value, 0, Long.MAX_VALUE);
                    oack.put(e.getKey(), Long.toString(size));
                }
                default -> {
                    // RFC 2347: options the server does not know are left out of the OACK.
                }
            }
        }
        return new Negotiation(blksize, windowsize, timeout, oack);
    }

    private static long number(String name, String value, long min, long max) throws Refused {
        String v = value.trim();
        if (v.isEmpty() || v.length() > 18 || !v.chars().allMatch(Character::isDigit)) {
            throw new Refused(name + " must be a number, not '" + value + "'");
        }
        long n = Long.parseLong(v);
        if (n < min || n > max) {
            throw new Refused(name + " " + n + " is outside " + min + ".." + max);
        }
        return n;
    }
}

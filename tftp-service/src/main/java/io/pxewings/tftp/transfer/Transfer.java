package io.pxewings.tftp.transfer;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import io.pxewings.tftp.codec.TftpCodec;
import io.pxewings.tftp.codec.TftpPacket;

/**
 * One read transfer as a state machine with no I/O and no clock: the server feeds it ACKs and
 * timeouts, and sends what it returns. RFC 1350 lock-step (windowsize 1) and RFC 7440 windows.
 *
 * <ul>
 * <li>Blocks are numbered from 1 internally as a {@code long}; on the wire they are the low 16
 *     bits, so a transfer of more than 65535 blocks rolls over to 0, as tftp-hpa and curl expect.
 * <li>A duplicate ACK (of a block already acknowledged) never triggers a send: the Sorcerer's
 *     Apprentice bug (RFC 1123 §4.2.3.1) cannot happen.
 * <li>An ACK inside the window (RFC 7440 §4: the client lost what followed) restarts the window
 *     after it.
 * <li>A timeout resends the unacknowledged window; after {@code maxRetries} of them in a row the
 *     transfer fails. The wait doubles with each retry (up to 8 times the negotiated timeout).
 * </ul>
 */
public final class Transfer {

    /** What the server does after an event. */
    public enum Status {
        /** Send {@link Step#packets()} and wait for the next ACK or the timeout. */
        CONTINUE,
        /** The last block was acknowledged. */
        DONE,
        /** Retries ran out: give up (the caller records a timeout). */
        FAILED,
        /** Nothing to do: a duplicate, stale or unexpected ACK. */
        IGNORED
    }

    public record Step(Status status, List<byte[]> packets) {
        static Step ignored() {
            return new Step(Status.IGNORED, List.of());
        }
    }

    private final Source source;
    private final Negotiation negotiation;
    private final int maxRetries;
    private final long lastBlock;
    private boolean oackPending;
    private long acked;
    private long sent;
    private int retries;
    private long retransmittedBlocks;
    private long bytesSent;
    private List<byte[]> prepared;
    private long preparedFrom;

    public Transfer(Source source, Negotiation negotiation, int maxRetries) {
        this.source = source;
        this.negotiation = negotiation;
        this.maxRetries = maxRetries;
        // The last block is the first one shorter than blksize: an empty one when the size divides evenly.
        this.lastBlock = source.size() / negotiation.blksize() + 1;
    }

    /** The first packets: the OACK when options were accepted (RFC 2347), else the first window. */
    public Step start() {
        if (!negotiation.oack().isEmpty()) {
            oackPending = true;
            return new Step(Status.CONTINUE, List.of(TftpCodec.encode(new TftpPacket.OptionAck(negotiation.oack()))));
        }
        return new Step(Status.CONTINUE, fillWindow());
    }

    public Step onAck(int wireBlock) {
        if (oackPending) {
            if (wireBlock != 0) {
                return Step.ignored();
            }
            oackPending = false;
            retries = 0;
            return new Step(Status.CONTINUE, fillWindow());
        }
        long block = acked + ((wireBlock - (acked & 0xffff)) & 0xffff);
        if (block == acked || block > sent) {
            return Step.ignored();   // duplicate (Sorcerer's Apprentice) or a block never sent
        }
        acked = block;
        retries = 0;
        if (acked == lastBlock) {
            return new Step(Status.DONE, List.of());
        }
        if (acked < sent) {
            // RFC 7440 §4: the client stopped at this block; everything after it is sent again.
            retransmittedBlocks += sent - acked;
            sent = acked;
        }
        return new Step(Status.CONTINUE, fillWindow());
    }

    public Step onTimeout() {
        if (++retries > maxRetries) {
            return new Step(Status.FAILED, List.of());
        }
        if (oackPending) {
            return new Step(Status.CONTINUE, List.of(TftpCodec.encode(new TftpPacket.OptionAck(negotiation.oack()))));
        }
        retransmittedBlocks += sent - acked;
        sent = acked;
        return new Step(Status.CONTINUE, fillWindow());
    }

    /** How long to wait for the next ACK: the negotiated timeout, doubled per retry, at most 8x. */
    public Duration currentTimeout() {
        return negotiation.timeout().multipliedBy(1L << Math.min(retries, 3));
    }

    /**
     * Builds the window that follows the one in flight, while the client is still reading it, so
     * that its ACK is answered without reading or copying anything. Call after sending a step;
     * it does nothing when there is no next window or it is built already. Used only if the ACK
     * covers the whole window in flight; a loss report or a timeout builds afresh.
     */
    public void prepareNext() {
        if (oackPending || prepared != null || sent >= lastBlock) {
            return;
        }
        preparedFrom = sent + 1;
        prepared = build(preparedFrom, Math.min(lastBlock, sent + negotiation.windowsize()));
    }

    private List<byte[]> fillWindow() {
        long to = Math.min(lastBlock, acked + negotiation.windowsize());
        List<byte[]> out;
        if (prepared != null && preparedFrom == sent + 1 && preparedFrom + prepared.size() - 1 == to) {
            out = prepared;
        } else {
            out = build(sent + 1, to);
        }
        prepared = null;
        for (byte[] packet : out) {
            bytesSent += packet.length - 4;
        }
        sent = Math.max(sent, to);
        return out;
    }

    /** DATA packets for blocks {@code from..to} (inclusive), numbered from 1. */
    private List<byte[]> build(long from, long to) {
        List<byte[]> out = new ArrayList<>((int) Math.max(0, to - from + 1));
        int blksize = negotiation.blksize();
        for (long block = from; block <= to; block++) {
            long position = (block - 1) * blksize;
            int length = (int) Math.min(blksize, source.size() - position);
            byte[] packet = TftpCodec.dataPacket(block, length);
            try {
                int n = source.read(position, packet, 4, length);
                if (n != length) {
                    throw new IOException("file shrank while being sent: " + n + " of " + length + " bytes at " + position);
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            out.add(packet);
        }
        return out;
    }

    public long retransmittedBlocks() {
        return retransmittedBlocks;
    }

    public long bytesSent() {
        return bytesSent;
    }

    public Negotiation negotiation() {
        return negotiation;
    }

    public long size() {
        return source.size();
    }
}

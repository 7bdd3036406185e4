package io.pxewings.tftp.server;

import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.Locale;

import org.jboss.logging.Logger;

import io.netty.util.concurrent.ScheduledFuture;
import io.pxewings.tftp.codec.ErrorCode;
import io.pxewings.tftp.codec.MalformedTftpException;
import io.pxewings.tftp.codec.TftpCodec;
import io.pxewings.tftp.codec.TftpPacket;
import io.pxewings.tftp.facts.TftpFacts;
import io.pxewings.tftp.files.FileCache;
import io.pxewings.tftp.transfer.Transfer;
import io.vertx.core.Vertx;

/**
 * One transfer on its own socket (a fresh ephemeral port: the server's TID, RFC 1350 §4). Packets
 * from any other address or port get error 5 and change nothing. Runs on the event loop that
 * created it, with one timer per transfer for retransmission.
 *
 * <p>The timer is lazy: an ACK only moves the deadline, and a timer that fires before the
 * deadline sleeps again for the rest. Cancelling and scheduling a timer for every ACK cost more
 * than the ACK itself in lock-step transfers.
 */
final class TftpSession {

    private static final Logger LOG = Logger.getLogger(TftpSession.class);

    private final TftpFacts.Client client;
    private final InetSocketAddress peer;
    private final String filename;
    private final Transfer transfer;
    private final FileCache.Handle source;
    private final TftpMetrics metrics;
    private final TftpFacts facts;
    private final Runnable onFinish;
    private final long startedNanos = System.nanoTime();
    private TransferSocket socket;
    private String failure = "";
    private ScheduledFuture<?> timer;
    private long timerFiresAt;
    private long deadline;
    private boolean finished;

    private TftpSession(TftpFacts.Client client, InetSocketAddress peer, String filename, Transfer transfer,
                        FileCache.Handle source, TftpMetrics metrics, TftpFacts facts, Runnable onFinish) {
        this.client = client;
        this.peer = peer;
        this.filename = filename;
        this.transfer = transfer;
        this.source = source;
        this.metrics = metrics;
        this.facts = facts;
        this.onFinish = onFinish;
    }

    /** Must run on {@code loop}: the transfer lives there. */
    static void start(Vertx vertx, io.netty.channel.EventLoop loop, InetSocketAddress bind, TftpFacts.Client client,
                      InetSocketAddress peer, String filename, Transfer transfer, FileCache.Handle source,
                      TftpMetrics metrics, TftpFacts facts, Runnable onFinish) {
        TftpSession session = new TftpSession(client, peer, filename, transfer, source, metrics, facts, onFinish);
        TransferSocket.open(vertx, loop, bind, session::onDatagram, session::onSocketError, session::opened, e -> {
            LOG.warnf("no socket for a transfer to %s: %s", client.endpoint(), e.toString());
            session.failure = "no socket for the transfer";
            session.finish("refused");
        });
    }

    private void opened(TransferSocket s) {
        socket = s;
        try {
            act(transfer.start());
        } catch (RuntimeException e) {
            // e.g. the file could not be read: the transfer ends, its counters and slot with it.
            LOG.errorf(e, "transfer of %s to %s could not start", filename, client.endpoint());
            sendError(ErrorCode.NOT_DEFINED, "cannot read the file", peer);
            failure = "could not start: " + e;
            finish("refused");
        }
    }

    private void onDatagram(InetSocketAddress sender, byte[] data) {
        try {
            receive(sender, data);
        } catch (RuntimeException e) {
            metrics.dropped("internal-error");
            LOG.errorf(e, "transfer of %s to %s failed", filename, client.endpoint());
            sendError(ErrorCode.NOT_DEFINED, "internal error", peer);
            failure = "internal error: " + e;
            finish("refused");
        }
    }

    /**
     * An error the socket reports, e.g. an ICMP port unreachable from a client that went away:
     * counted, and the retransmission timer decides whether the transfer ends.
     */
    private void onSocketError(Throwable cause) {
        metrics.dropped("socket-error");
        LOG.debugf("socket of the transfer of %s to %s: %s", filename, client.endpoint(), cause.toString());
    }

    private void receive(InetSocketAddress sender, byte[] data) {
        if (finished) {
            return;
        }
        if (!sender.equals(peer)) {
            // RFC 1350 §4: a packet from a wrong TID is answered with error 5; the transfer goes on.
            sendError(ErrorCode.UNKNOWN_TID, "unknown transfer id", sender);
            metrics.dropped("wrong-tid");
            return;
        }
        TftpPacket packet;
        try {
            packet = TftpCodec.decode(data);
        } catch (MalformedTftpException e) {
            metrics.dropped(e.reason().name().toLowerCase(Locale.ROOT));
            return;
        }
        if (packet instanceof TftpPacket.Ack ack) {
            act(transfer.onAck(ack.block()));
        } else if (packet instanceof TftpPacket.Error error) {
            LOG.debugf("%s ended the transfer of %s: %s %s", client.endpoint(), filename, error.code(), error.message());
            failure = error.code() + ": " + error.message();
            finish("client-error");
        } else {
            metrics.dropped("unexpected-" + opcodeName(packet));
        }
    }

    private void act(Transfer.Step step) {
        switch (step.status()) {
            case IGNORED -> {
                // a duplicate ACK: nothing is sent (Sorcerer's Apprentice), the timer keeps running
            }
            case DONE -> finish("completed");
            case FAILED -> {
                sendError(ErrorCode.NOT_DEFINED, "timed out waiting for an ACK", peer);
                failure = "timed out waiting for an ACK";
                finish("timeout");
            }
            case CONTINUE -> {
                for (byte[] packet : step.packets()) {
                    socket.write(packet, peer);
                }
                socket.flush();
                armTimer(transfer.currentTimeout());
                transfer.prepareNext();   // while the client reads this window
            }
        }
    }

    private void armTimer(Duration wait) {
        long now = System.nanoTime();
        deadline = now + wait.toNanos();
        if (timer != null && timerFiresAt - deadline <= 0) {
            return;   // the running timer fires first and sleeps again for the rest
        }
        if (timer != null) {
            timer.cancel(false);   // only after a backoff: the new deadline is earlier than the old one
        }
        scheduleAt(deadline);
    }

    private void scheduleAt(long at) {
        timerFiresAt = at;
        long millis = Math.max(1, (at - System.nanoTime() + 999_999) / 1_000_000);
        timer = socket.schedule(this::onTimer, millis);
    }

    private void onTimer() {
        timer = null;
        if (finished) {
            return;
        }
        if (System.nanoTime() - deadline < 0) {
            scheduleAt(deadline);
            return;
        }
        try {
            act(transfer.onTimeout());
        } catch (RuntimeException e) {
            LOG.errorf(e, "retransmission of %s to %s failed", filename, client.endpoint());
            failure = "internal error: " + e;
            finish("refused");
        }
    }

    private void sendError(ErrorCode code, String message, InetSocketAddress to) {
        if (socket != null) {
            socket.send(TftpCodec.encode(new TftpPacket.Error(code, message)), to);
        }
        metrics.errorSent(code.name().toLowerCase(Locale.ROOT));
    }

    private void finish(String outcome) {
        if (finished) {
            return;
        }
        finished = true;
        onFinish.run();
        if (timer != null) {
            timer.cancel(false);
        }
        source.close();
        if (socket != null) {
            socket.close();
        }
        metrics.active.decrementAndGet();
        metrics.transfer(outcome);
        Duration took = Duration.ofNanos(System.nanoTime() - startedNanos);
        if (outcome.equals("completed")) {
            metrics.completed(took, transfer.bytesSent(), transfer.retransmittedBlocks());
            facts.completed(client, filename, transfer.size(), took.toMillis(), transfer.negotiation().blksize(),
                    transfer.negotiation().windowsize(), transfer.retransmittedBlocks());
        } else {
            metrics.failed(transfer.bytesSent(), transfer.retransmittedBlocks());
            facts.failed(client, filename, outcome, failure, transfer.bytesSent(), transfer.retransmittedBlocks());
        }
        LOG.debugf("transfer of %s to %s %s: %d bytes, blksize %d, windowsize %d, %d blocks resent", filename,
                client.endpoint(), outcome, transfer.size(), transfer.negotiation().blksize(),
                transfer.negotiation().windowsize(), transfer.retransmittedBlocks());
    }

    private static String opcodeName(TftpPacket p) {
        return switch (p.opcode()) {
            case TftpPacket.RRQ -> "rrq";
            case TftpPacket.WRQ -> "wrq";
            case TftpPacket.DATA -> "data";
            case TftpPacket.OACK -> "oack";
            default -> "packet";
        };
    }
}

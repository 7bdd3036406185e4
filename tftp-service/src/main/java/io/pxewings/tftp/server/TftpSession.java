package io.pxewings.tftp.server;

import java.time.Duration;
import java.util.Locale;

import org.jboss.logging.Logger;

import io.pxewings.tftp.codec.ErrorCode;
import io.pxewings.tftp.codec.MalformedTftpException;
import io.pxewings.tftp.codec.TftpCodec;
import io.pxewings.tftp.codec.TftpPacket;
import io.pxewings.tftp.facts.TftpFacts;
import io.pxewings.tftp.files.FileCache;
import io.pxewings.tftp.transfer.Transfer;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.datagram.DatagramPacket;
import io.vertx.core.datagram.DatagramSocket;
import io.vertx.core.datagram.DatagramSocketOptions;

/**
 * One transfer on its own socket (a fresh ephemeral port: the server's TID, RFC 1350 §4). Packets
 * from any other address or port get error 5 and change nothing. Runs on the event loop that
 * created it; a timer per transfer drives retransmission.
 */
final class TftpSession {

    private static final Logger LOG = Logger.getLogger(TftpSession.class);

    private final Vertx vertx;
    private final DatagramSocket socket;
    private final TftpFacts.Client client;
    private final String clientHost;
    private final int clientPort;
    private final String filename;
    private final Transfer transfer;
    private final FileCache.Handle source;
    private final TftpMetrics metrics;
    private final TftpFacts facts;
    private final Runnable onFinish;
    private String failure = "";
    private final long startedNanos = System.nanoTime();
    private long timer = -1;
    private boolean finished;

    private TftpSession(Vertx vertx, DatagramSocket socket, TftpFacts.Client client, String filename, Transfer transfer,
                        FileCache.Handle source, TftpMetrics metrics, TftpFacts facts, Runnable onFinish) {
        this.vertx = vertx;
        this.onFinish = onFinish;
        this.socket = socket;
        this.client = client;
        this.clientHost = client.ip();
        this.clientPort = client.port();
        this.facts = facts;
        this.filename = filename;
        this.transfer = transfer;
        this.source = source;
        this.metrics = metrics;
    }

    static void start(Vertx vertx, String bindAddress, TftpFacts.Client client, String filename, Transfer transfer,
                      FileCache.Handle source, TftpMetrics metrics, TftpFacts facts, Runnable onFinish) {
        DatagramSocket socket = vertx.createDatagramSocket(new DatagramSocketOptions());
        TftpSession session = new TftpSession(vertx, socket, client, filename, transfer, source, metrics, facts, onFinish);
        String host = client.ip();
        int port = client.port();
        socket.handler(session::onDatagram);
        socket.listen(0, bindAddress).onComplete(r -> {
            if (r.failed()) {
                LOG.warnf("no socket for a transfer to %s:%d: %s", host, port, r.cause().toString());
                session.failure = "no socket for the transfer";
                session.finish("refused");
                return;
            }
            try {
                session.act(transfer.start());
            } catch (RuntimeException e) {
                // e.g. the file could not be read: the transfer ends, its counters and slot with it.
                LOG.errorf(e, "transfer of %s to %s:%d could not start", filename, host, port);
                session.sendError(ErrorCode.NOT_DEFINED, "cannot read the file", host, port);
                session.failure = "could not start: " + e;
                session.finish("refused");
            }
        });
        socket.exceptionHandler(e -> LOG.warnf("transfer socket to %s:%d: %s", host, port, e.toString()));
    }

    private void onDatagram(DatagramPacket d) {
        try {
            receive(d);
        } catch (RuntimeException e) {
            metrics.dropped("internal-error");
            LOG.errorf(e, "transfer of %s to %s:%d failed", filename, clientHost, clientPort);
            sendError(ErrorCode.NOT_DEFINED, "internal error", clientHost, clientPort);
            failure = "internal error: " + e;
            finish("refused");
        }
    }

    private void receive(DatagramPacket d) {
        if (finished) {
            return;
        }
        if (d.sender().port() != clientPort || !d.sender().host().equals(clientHost)) {
            // RFC 1350 §4: a packet from a wrong TID is answered with error 5; the transfer goes on.
            sendError(ErrorCode.UNKNOWN_TID, "unknown transfer id", d.sender().host(), d.sender().port());
            metrics.dropped("wrong-tid");
            return;
        }
        TftpPacket packet;
        try {
            packet = TftpCodec.decode(d.data().getBytes());
        } catch (MalformedTftpException e) {
            metrics.dropped(e.reason().name().toLowerCase(Locale.ROOT));
            return;
        }
        if (packet instanceof TftpPacket.Ack ack) {
            act(transfer.onAck(ack.block()));
        } else if (packet instanceof TftpPacket.Error error) {
            LOG.debugf("%s:%d ended the transfer of %s: %s %s", clientHost, clientPort, filename, error.code(), error.message());
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
                sendError(ErrorCode.NOT_DEFINED, "timed out waiting for an ACK", clientHost, clientPort);
                failure = "timed out waiting for an ACK";
                finish("timeout");
            }
            case CONTINUE -> {
                for (byte[] packet : step.packets()) {
                    socket.send(Buffer.buffer(packet), clientPort, clientHost);
                }
                armTimer(transfer.currentTimeout());
            }
        }
    }

    private void armTimer(Duration wait) {
        if (timer >= 0) {
            vertx.cancelTimer(timer);
        }
        timer = vertx.setTimer(Math.max(1, wait.toMillis()), id -> {
            timer = -1;
            if (!finished) {
                try {
                    act(transfer.onTimeout());
                } catch (RuntimeException e) {
                    LOG.errorf(e, "retransmission of %s to %s:%d failed", filename, clientHost, clientPort);
                    failure = "internal error: " + e;
                    finish("refused");
                }
            }
        });
    }

    private void sendError(ErrorCode code, String message, String host, int port) {
        socket.send(Buffer.buffer(TftpCodec.encode(new TftpPacket.Error(code, message))), port, host);
        metrics.errorSent(code.name().toLowerCase(Locale.ROOT));
    }

    private void finish(String outcome) {
        if (finished) {
            return;
        }
        finished = true;
        onFinish.run();
        if (timer >= 0) {
            vertx.cancelTimer(timer);
        }
        source.close();
        socket.close();
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
        LOG.debugf("transfer of %s to %s:%d %s: %d bytes, blksize %d, windowsize %d, %d blocks resent", filename, clientHost,
                clientPort, outcome, transfer.size(), transfer.negotiation().blksize(), transfer.negotiation().windowsize(),
                transfer.retransmittedBlocks());
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

package io.pxewings.tftp.transfer;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import io.pxewings.tftp.codec.TftpCodec;
import io.pxewings.tftp.codec.TftpPacket;

class TransferTest {

    static byte[] file(int size) {
        byte[] b = new byte[size];
        for (int i = 0; i < size; i++) {
            b[i] = (byte) (i * 31 + 7);
        }
        return b;
    }

    static Negotiation plain(int blksize, int windowsize, boolean oack) {
        Map<String, String> o = new LinkedHashMap<>();
        if (oack) {
            o.put("blksize", Integer.toString(blksize));
        }
        return new Negotiation(blksize, windowsize, Duration.ofSeconds(1), o);
    }

    static List<Integer> blocks(Transfer.Step s) throws Exception {
        return s.packets().stream().map(p -> {
            try {
                return ((TftpPacket.Data) TftpCodec.decode(p)).block();
            } catch (Exception e) {
                throw new AssertionError(e);
            }
        }).toList();
    }

    @Test
    void lockStepSendsEveryBlockOnceAndEndsWithAShortOne() throws Exception {
        byte[] f = file(1030);
        Transfer t = new Transfer(Source.of(f), plain(512, 1, false), 3);
        assertThat(blocks(t.start())).containsExactly(1);
        Transfer.Step s2 = t.onAck(1);
        assertThat(blocks(s2)).containsExactly(2);
        assertThat(t.onAck(1).status()).as("a duplicate ACK sends nothing (Sorcerer's Apprentice)")
                .isEqualTo(Transfer.Status.IGNORED);
        Transfer.Step s3 = t.onAck(2);
        TftpPacket.Data last = (TftpPacket.Data) TftpCodec.decode(s3.packets().get(0));
        assertThat(last.block()).isEqualTo(3);
        assertThat(last.bytes()).hasSize(6);
        assertThat(t.onAck(3).status()).isEqualTo(Transfer.Status.DONE);
    }

    @Test
    void aSizeThatDividesEvenlyEndsWithAnEmptyBlock() throws Exception {
        Transfer t = new Transfer(Source.of(file(1024)), plain(512, 1, false), 3);
        t.start();
        t.onAck(1);
        Transfer.Step s = t.onAck(2);
        assertThat(((TftpPacket.Data) TftpCodec.decode(s.packets().get(0))).length()).isZero();
        assertThat(t.onAck(3).status()).isEqualTo(Transfer.Status.DONE);
    }

    @Test
    void optionsAreAcknowledgedFirstAndBlockZeroStartsTheData() throws Exception {
        Transfer t = new Transfer(Source.of(file(100)), plain(1468, 1, true), 3);
        Transfer.Step s = t.start();
        assertThat(TftpCodec.decode(s.packets().get(0))).isInstanceOf(TftpPacket.OptionAck.class);
        assertThat(t.onAck(5).status()).isEqualTo(Transfer.Status.IGNORED);
        assertThat(blocks(t.onAck(0))).containsExactly(1);
        assertThat(t.onAck(1).status()).isEqualTo(Transfer.Status.DONE);
    }

    @Test
    void windowsAdvanceOnTheLastAckAndRestartAfterALossReport() throws Exception {
        Transfer t = new Transfer(Source.of(file(10 * 100 + 1)), plain(100, 4, false), 3);
        assertThat(blocks(t.start())).containsExactly(1, 2, 3, 4);
        assertThat(blocks(t.onAck(4))).containsExactly(5, 6, 7, 8);
        // The client got 5 and 6 only (RFC 7440 §4): the window restarts at 7.
        assertThat(blocks(t.onAck(6))).containsExactly(7, 8, 9, 10);
        assertThat(t.retransmittedBlocks()).isEqualTo(2);
        assertThat(t.onAck(6).status()).isEqualTo(Transfer.Status.IGNORED);
        assertThat(blocks(t.onAck(10))).containsExactly(11);
        assertThat(t.onAck(11).status()).isEqualTo(Transfer.Status.DONE);
    }

    @Test
    void timeoutsResendTheWindowWithBackoffThenGiveUp() throws Exception {
        Transfer t = new Transfer(Source.of(file(1000)), plain(100, 2, false), 2);
        t.start();
        assertThat(t.currentTimeout()).isEqualTo(Duration.ofSeconds(1));
        assertThat(blocks(t.onTimeout())).containsExactly(1, 2);
        assertThat(t.currentTimeout()).isEqualTo(Duration.ofSeconds(2));
        assertThat(blocks(t.onTimeout())).containsExactly(1, 2);
        assertThat(t.onTimeout().status()).isEqualTo(Transfer.Status.FAILED);
    }

    @Test
    void blockNumbersRollOverPast65535() throws Exception {
        int blocks = 65_540;
        Transfer t = new Transfer(Source.of(file(blocks * 8)), plain(8, 1, false), 1);
        t.start();
        Transfer.Step s = null;
        for (int b = 1; b <= 65_535; b++) {
            s = t.onAck(b);
        }
        assertThat(blocks(s)).as("block 65536 goes out as 0").containsExactly(0);
        assertThat(blocks(t.onAck(0))).containsExactly(1);
        assertThat(t.onAck(65_535).status()).as("an old ACK from before the wrap").isEqualTo(Transfer.Status.IGNORED);
        for (int b = 1; b <= 4; b++) {
            s = t.onAck(b);
        }
        assertThat(((TftpPacket.Data) TftpCodec.decode(s.packets().get(0))).length()).as("the final, empty block").isZero();
        assertThat(t.onAck(5).status()).isEqualTo(Transfer.Status.DONE);
        assertThat(t.bytesSent()).isEqualTo(blocks * 8L);
    }

    @Test
    void aWindowBuiltAheadIsExactlyTheWindowBuiltOnTheAck() throws Exception {
        // The same client behaviour (full ACKs, loss reports, timeouts) against a transfer that
        // builds each next window ahead and one that never does: the same packets, the same counts.
        byte[] f = file(100 * 97 + 13);
        java.util.Random random = new java.util.Random(42);
        Transfer ahead = new Transfer(Source.of(f), plain(100, 4, true), 20);
        Transfer plainT = new Transfer(Source.of(f), plain(100, 4, true), 20);
        Transfer.Step a = ahead.start();
        Transfer.Step b = plainT.start();
        int wire = 0;
        for (int round = 0; round < 10_000 && a.status() != Transfer.Status.DONE; round++) {
            assertThat(a.status()).isEqualTo(b.status());
            assertThat(a.packets()).usingElementComparator(java.util.Arrays::compare).isEqualTo(b.packets());
            ahead.prepareNext();
            if (!a.packets().isEmpty() && TftpCodec.decode(a.packets().get(0)) instanceof TftpPacket.Data) {
                List<Integer> sent = blocks(a);
                int roll = random.nextInt(10);
                if (roll == 0) {
                    a = ahead.onTimeout();
                    b = plainT.onTimeout();
                    continue;
                }
                // mostly the whole window, sometimes a loss report inside it
                wire = roll == 1 && sent.size() > 1 ? sent.get(random.nextInt(sent.size() - 1)) : sent.get(sent.size() - 1);
            } else {
                wire = 0;   // the OACK's ACK
            }
            a = ahead.onAck(wire);
            b = plainT.onAck(wire);
        }
        assertThat(a.status()).isEqualTo(Transfer.Status.DONE);
        assertThat(b.status()).isEqualTo(Transfer.Status.DONE);
        assertThat(ahead.bytesSent()).isEqualTo(plainT.bytesSent()).isGreaterThanOrEqualTo(f.length);
        assertThat(ahead.retransmittedBlocks()).isEqualTo(plainT.retransmittedBlocks());
    }
}

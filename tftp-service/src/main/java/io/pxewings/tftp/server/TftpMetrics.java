package io.pxewings.tftp.server;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;

/** What an SRE graphs for a TFTP server. Counters are built once per label, not per packet. */
final class TftpMetrics {

    private final MeterRegistry registry;
    final AtomicInteger active = new AtomicInteger();
    private final Counter bytes;
    private final Counter retransmits;
    private final Timer duration;
    private final Map<String, Counter> outcomes = new ConcurrentHashMap<>();
    private final Map<String, Counter> dropped = new ConcurrentHashMap<>();
    private final Map<String, Counter> errors = new ConcurrentHashMap<>();

    TftpMetrics(MeterRegistry registry) {
        this.registry = registry;
        Gauge.builder("wings_tftp_transfers_active", active, AtomicInteger::get)
                .description("Transfers in progress").register(registry);
        bytes = Counter.builder("wings_tftp_bytes_sent").description("File bytes sent in DATA packets (retransmissions included)")
                .baseUnit("bytes").register(registry);
        retransmits = Counter.builder("wings_tftp_retransmitted_blocks")
                .description("DATA blocks sent again after a timeout or a client's loss report").register(registry);
        duration = Timer.builder("wings_tftp_transfer").description("Time from request to the last ACK, completed transfers")
                .publishPercentileHistogram().minimumExpectedValue(Duration.ofMillis(1))
                .maximumExpectedValue(Duration.ofMinutes(5)).register(registry);
    }

    /** completed, timeout, client-error, not-found, refused (access, mode, options), busy. */
    void transfer(String outcome) {
        outcomes.computeIfAbsent(outcome, o -> Counter.builder("wings_tftp_transfers")
                .description("Transfers by how they ended: completed, timeout, client-error, not-found, refused, busy")
                .tag("outcome", o).register(registry)).increment();
    }

    void completed(Duration took, long sentBytes, long retransmittedBlocks) {
        duration.record(took);
        bytes.increment(sentBytes);
        retransmits.increment(retransmittedBlocks);
    }

    void failed(long sentBytes, long retransmittedBlocks) {
        bytes.increment(sentBytes);
        retransmits.increment(retransmittedBlocks);
    }

    void dropped(String reason) {
        dropped.computeIfAbsent(reason, r -> Counter.builder("wings_tftp_packets_dropped")
                .description("Datagrams dropped without an answer, by reason").tag("reason", r).register(registry)).increment();
    }

    void errorSent(String code) {
        errors.computeIfAbsent(code, c -> Counter.builder("wings_tftp_errors_sent")
                .description("ERROR packets sent, by TFTP error code").tag("code", c).register(registry)).increment();
    }
}

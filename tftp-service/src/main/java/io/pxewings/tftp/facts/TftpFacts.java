package io.pxewings.tftp.facts;

import io.pxewings.common.events.EventPublisher;
import io.pxewings.events.EventTypes;
import io.pxewings.events.tftp.TransferCompleted;
import io.pxewings.events.tftp.TransferFailed;
import io.pxewings.events.tftp.TransferStarted;
import io.pxewings.common.edge.LeaseAddresses;
import io.pxewings.common.net.NeighbourTable;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

/**
 * Publishes what the TFTP server served. Fire and forget: serving never waits on Kafka; what does
 * not fit the publisher's buffer is counted there. Each fact names the machine's MAC when the
 * DHCP lease facts know the client's address, and is keyed by it (else by the address).
 */
@ApplicationScoped
public class TftpFacts {

    @Inject
    EventPublisher publisher;

    @Inject
    LeaseAddresses addresses;

    private final NeighbourTable neighbours = new NeighbourTable();

    /** Where a transfer goes: the client's address and port, and its MAC if known. */
    public record Client(String ip, int port, String mac) {
        public String key() {
            return mac != null ? mac : ip;
        }

        public String endpoint() {
            return ip + ":" + port;
        }
    }

    /**
     * The client's MAC from the lease facts, else from the kernel's neighbour table: firmware asks
     * for its first stage milliseconds after its DHCP ACK, often before that lease's fact has
     * travelled through Kafka to this service, but the kernel resolved the client's address to
     * answer it. The table names on-link clients only (never a relayed client's router).
     */
    public Client client(String ip, int port) {
        return new Client(ip, port, addresses.mac(ip).or(() -> neighbours.mac(ip)).orElse(null));
    }

    /** A MAC unknown when the transfer started may be known by its end (the lease fact arrived, or the neighbour entry). */
    private Client again(Client c) {
        return c.mac() != null ? c : client(c.ip(), c.port());
    }

    public void started(Client c, String file, String mode, int blksize, int windowsize, long size) {
        publisher.publish(EventTypes.TFTP_TRANSFER_STARTED, c.key(),
                new TransferStarted(c.mac(), c.endpoint(), file, mode, blksize, windowsize, size));
    }

    public void completed(Client started, String file, long bytes, long millis, int blksize, int windowsize,
                          long retransmitted) {
        Client c = again(started);
        publisher.publish(EventTypes.TFTP_TRANSFER_COMPLETED, c.key(),
                new TransferCompleted(c.mac(), c.endpoint(), file, bytes, millis, blksize, windowsize, retransmitted));
    }

    public void failed(Client started, String file, String reason, String message, long bytes, long retransmitted) {
        Client c = again(started);
        publisher.publish(EventTypes.TFTP_TRANSFER_FAILED, c.key(),
                new TransferFailed(c.mac(), c.endpoint(), file, reason, message, bytes, retransmitted));
    }
}

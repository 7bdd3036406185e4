package io.pxewings.events.tftp;

/**
 * The client acknowledged the last block of a TFTP transfer.
 *
 * @param mac                 the client's boot NIC, when the DHCP lease facts (or, on-link, the neighbour table) name its address; else null
 * @param client              the client's address and port
 * @param file                the file as the client asked for it
 * @param bytes               the file's bytes as sent (netascii: after conversion)
 * @param durationMillis      from the request to the last ACK
 * @param blksize             bytes per DATA packet
 * @param windowsize          DATA packets per window
 * @param retransmittedBlocks DATA blocks sent more than once (timeouts, loss reports)
 */
public record TransferCompleted(String mac, String client, String file, long bytes, long durationMillis, int blksize,
                                int windowsize, long retransmittedBlocks) {
}

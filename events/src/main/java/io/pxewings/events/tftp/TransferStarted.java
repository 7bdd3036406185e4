package io.pxewings.events.tftp;

/**
 * A TFTP read transfer began (its options negotiated).
 *
 * @param mac        the client's boot NIC, when the DHCP lease facts (or, on-link, the neighbour table) name its address; else null
 * @param client     the client's address and port, "10.77.0.23:2070"
 * @param file       the file as the client asked for it
 * @param mode       octet or netascii
 * @param blksize    bytes per DATA packet
 * @param windowsize DATA packets per window
 * @param size       bytes the transfer will send
 */
public record TransferStarted(String mac, String client, String file, String mode, int blksize, int windowsize, long size) {
}

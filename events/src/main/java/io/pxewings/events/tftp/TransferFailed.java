package io.pxewings.events.tftp;

/**
 * A TFTP request or transfer ended without the whole file.
 *
 * @param mac                 the client's boot NIC, when the DHCP lease facts (or, on-link, the neighbour table) name its address; else null
 * @param client              the client's address and port
 * @param file                the file as the client asked for it
 * @param reason              timeout, client-error, not-found, refused or busy
 * @param message             what the client was told, or what it said (client-error)
 * @param bytes               bytes of DATA sent before the end
 * @param retransmittedBlocks DATA blocks sent more than once
 */
public record TransferFailed(String mac, String client, String file, String reason, String message, long bytes,
                             long retransmittedBlocks) {

    public static final java.util.Set<String> REASONS = java.util.Set.of("timeout", "client-error", "not-found", "refused",
            "busy");
}

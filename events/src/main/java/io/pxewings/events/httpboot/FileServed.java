package io.pxewings.events.httpboot;

/**
 * http-boot-service finished answering a boot file request (kernel, initrd, ISO, EFI binary):
 * published when the response ended or the connection closed, so {@code complete} says whether
 * the client got every byte it was sent.
 *
 * @param mac        the boot NIC: from the URL's {@code mac} parameter, else from the DHCP lease facts; else null
 * @param client     the requester's address
 * @param path       the path under {@code /files/}
 * @param status     the HTTP status: 200, 206, 304 or 416 (not found and refused paths are not facts)
 * @param bytes      body bytes written
 * @param rangeStart first byte of a 206 range, else -1
 * @param rangeEnd   last byte (inclusive) of a 206 range, else -1
 * @param size       the file's size
 * @param millis     from the request to the end of the response
 * @param complete   false when the connection closed before the response ended
 */
public record FileServed(String mac, String client, String path, int status, long bytes, long rangeStart, long rangeEnd,
                         long size, long millis, boolean complete) {
}

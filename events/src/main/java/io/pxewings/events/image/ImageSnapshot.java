package io.pxewings.events.image;

import java.time.Instant;
import java.util.Map;

/**
 * An OS image as image-service's catalog holds it: the body of the {@code image.*} facts and of
 * {@code GET /api/v1/images/{name}/{version}}.
 *
 * @param id             image id (UUID)
 * @param name           image name, e.g. {@code debian-12}
 * @param version        immutable once published, e.g. {@code 2026.12.04}
 * @param os             the operating system, e.g. {@code debian}
 * @param arch           {@code x86_64} or {@code aarch64}
 * @param firmware       {@code bios}, {@code uefi} or {@code both}
 * @param format         the stored format: {@code raw}, {@code raw.gz}, {@code raw.xz}, {@code raw.zst}
 * @param size           stored bytes
 * @param sha256         stored bytes' SHA-256 (the blob's digest, lower-case hex)
 * @param rawSize        bytes written to a disk
 * @param rawSha256      SHA-256 of the bytes written to a disk
 * @param labels         operator labels
 * @param signature      {@code verified} (a trusted key signed the stored bytes), {@code unverified}
 *                       (a signature that does not verify, or by an untrusted key) or {@code unsigned}
 * @param signedBy       the minisign key id (hex) of the key that signed it, or null
 * @param bootHints      for kexec: {@code root} (partition), {@code kernel}, {@code initrd}, {@code cmdline}
 * @param state          {@code published}, {@code deprecated}, {@code yanked}
 * @param deployable     published or deprecated, and verified (or signatures not required): may be written to disks
 * @param createdAt      when it was published
 * @param updatedAt      when it last changed
 * @param sourceFormat   what was uploaded when it was not the stored format ({@code qcow2}, converted
 *                       to {@code raw.zst} at import), or null
 * @param sourceSha256   the uploaded bytes' SHA-256 (what a signature signs) when converted, or null
 */
public record ImageSnapshot(String id, String name, String version, String os, String arch, String firmware, String format,
                            long size, String sha256, long rawSize, String rawSha256, Map<String, String> labels,
                            String signature, String signedBy, Map<String, String> bootHints, String state, boolean deployable,
                            Instant createdAt, Instant updatedAt, String sourceFormat, String sourceSha256) {
}

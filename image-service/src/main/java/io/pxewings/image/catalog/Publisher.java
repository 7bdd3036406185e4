package io.pxewings.image.catalog;

import java.io.IOException;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.regex.Pattern;

import org.jboss.logging.Logger;

import io.pxewings.events.codec.Traceparent;
import io.pxewings.events.image.ImageSnapshot;
import io.pxewings.image.blobs.BlobRoutes;
import io.pxewings.image.config.ImageConfig;
import io.pxewings.image.formats.ImageScan;
import io.pxewings.image.formats.Qcow2Import;
import io.pxewings.image.signing.Minisign;
import io.pxewings.image.signing.TrustedKeys;
import io.pxewings.image.store.Digest;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

/**
 * Publishing an image: its fields checked, its blob read once ({@link ImageScan}: still what its
 * digest says, a valid stream of its format, the raw size and digest), its signature checked
 * against the trusted keys, then the catalog row and its fact. An image whose signature is
 * missing or does not verify is stored as {@code unsigned} or {@code unverified}, and is never
 * deployable while signatures are required.
 */
@ApplicationScoped
public class Publisher {

    private static final Logger LOG = Logger.getLogger(Publisher.class);
    static final Pattern NAME = Pattern.compile("[a-z0-9][a-z0-9._-]{0,63}");
    static final Pattern VERSION = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._+-]{0,63}");
    static final Pattern WORD = Pattern.compile("[a-z0-9][a-z0-9._-]{0,31}");
    static final Pattern LABEL = Pattern.compile("[A-Za-z0-9]([A-Za-z0-9._/-]{0,61}[A-Za-z0-9])?");
    static final Set<String> HINTS = Set.of("root", "kernel", "initrd", "cmdline");

    /** A publish request, as the API takes it. */
    public record Request(String name, String version, String os, String arch, String firmware, String format, String blob,
                          Long rawSize, String rawSha256, Map<String, String> labels, Map<String, String> bootHints,
                          String signature) {
    }

    /** A request that cannot be taken, naming the field. */
    public static final class Invalid extends RuntimeException {
        public Invalid(String field, String message) {
            super(field + ": " + message, null, false, false);
        }
    }

    @Inject
    Catalog catalog;

    @Inject
    BlobRoutes blobs;

    @Inject
    TrustedKeys trusted;

    @Inject
    ImageConfig config;

    /** The upload format converted at import. */
    static final String QCOW2 = "qcow2";

    /** Blocking: the blob is read once (call it on a worker thread). */
    public ImageSnapshot publish(Request r, String by, Traceparent trace) {
        check(r);
        // A qcow2 is read once as it was uploaded (its digest, and what a signature signs), then converted.
        boolean imported = QCOW2.equals(r.format());
        ImageScan.Format format = imported ? ImageScan.Format.RAW : ImageScan.Format.of(r.format());
        Digest blob;
        try {
            blob = Digest.parse(r.blob());
        } catch (IllegalArgumentException e) {
            throw new Invalid("blob", e.getMessage());
        }
        if (!blobs.store().has(blob)) {
            throw new Invalid("blob", blob + " is not in the store: upload it first (POST /api/v1/blobs/uploads)");
        }
        if (catalog.get(r.name(), r.version()).isPresent()) {
            throw new Catalog.Exists(r.name() + ":" + r.version() + " exists: a published version never changes; publish another");
        }
        Minisign.SignatureInfo sig = null;
        if (r.signature() != null && !r.signature().isBlank()) {
            try {
                sig = Minisign.signature(r.signature());
            } catch (Minisign.Malformed m) {
                throw new Invalid("signature", m.getMessage());
            }
        }
        ImageScan.Result scan;
        try {
            scan = ImageScan.scan(blobs.store().path(blob), format);
        } catch (IOException e) {
            throw new Invalid("format", "the blob is not a whole " + r.format() + " stream: " + e.getMessage());
        }
        if (!scan.stored().equals(blob)) {
            // The bytes on disk are not the blob any more (a bit flipped): never published, and dropped.
            try {
                blobs.store().delete(blob);
            } catch (IOException e) {
                LOG.warnf("could not delete corrupt blob %s: %s", blob, e.getMessage());
            }
            throw new Invalid("blob", blob + " reads as " + scan.stored() + " on disk: corrupt, deleted; upload it again");
        }
        Qcow2Import.Converted converted = null;
        if (imported) {
            try {
                converted = Qcow2Import.convert(blobs.store().path(blob), blobs.store().upload("x").getParent(),
                        config.imports().maxVirtualSize(), config.imports().timeout());
                blobs.store().commit(converted.file(), converted.stored());
            } catch (Qcow2Import.Refused e) {
                throw new Invalid("blob", e.getMessage());
            } catch (IOException e) {
                throw new IllegalStateException("converting " + blob + " from qcow2 failed: " + e.getMessage(), e);
            }
            LOG.infof("imported %s (qcow2, %d bytes) as %s (raw.zst, %d bytes; raw %d bytes)", blob, scan.size(), converted.stored(),
                    converted.size(), converted.rawSize());
            scan = new ImageScan.Result(converted.stored(), converted.size(), scan.blake2b(), converted.raw(), converted.rawSize());
        }
        if (r.rawSize() != null && r.rawSize() != scan.rawSize()) {
            throw new Invalid("rawSize", "the image decompresses to " + scan.rawSize() + " bytes, not " + r.rawSize());
        }
        if (r.rawSha256() != null && !Digest.parse(r.rawSha256()).equals(scan.raw())) {
            throw new Invalid("rawSha256", "the image decompresses to " + scan.raw() + ", not " + r.rawSha256());
        }
        String signature = "unsigned";
        String signedBy = null;
        if (sig != null) {
            signedBy = sig.keyId();
            var key = trusted.byId(sig.keyId());
            boolean ok = false;
            if (key.isPresent()) {
                try {
                    ok = Minisign.verify(key.get(), sig, scan.blake2b(), null);
                } catch (java.security.GeneralSecurityException e) {
                    ok = false;
                }
                if (!sig.prehashed()) {
                    throw new Invalid("signature", "a legacy (not prehashed) minisign signature: sign with minisign 0.10 or later");
                }
            }
            signature = ok ? "verified" : "unverified";
        }
        Instant now = Instant.now();
        ImageSnapshot i = new ImageSnapshot(UUID.randomUUID().toString(), r.name(), r.version(), r.os(), r.arch(), r.firmware(),
                imported ? ImageScan.Format.ZSTD.wire : r.format(), scan.size(), scan.stored().hex(), scan.rawSize(), scan.raw().hex(),
                r.labels() == null ? Map.of() : new LinkedHashMap<>(r.labels()), signature, signedBy,
                r.bootHints() == null ? Map.of() : new LinkedHashMap<>(r.bootHints()), "published", false, now, now,
                imported ? QCOW2 : null, imported ? blob.hex() : null);
        ImageSnapshot stored = catalog.publish(i, r.signature(), by, trace);
        LOG.infof("published %s:%s (%s, %d bytes, raw %d bytes, signature %s%s)", stored.name(), stored.version(), stored.format(),
                stored.size(), stored.rawSize(), stored.signature(), signedBy == null ? "" : " by " + signedBy);
        return stored;
    }

    static void check(Request r) {
        if (r == null) {
            throw new Invalid("body", "an image: {name, version, os, arch, firmware, format, blob, ...}");
        }
        match("name", r.name(), NAME, "lower-case letters, digits, ._- (no / or ..), at most 64");
        match("version", r.version(), VERSION, "letters, digits, ._+-, at most 64");
        match("os", r.os(), WORD, "lower-case letters, digits, ._-, at most 32");
        if (!"x86_64".equals(r.arch()) && !"aarch64".equals(r.arch())) {
            throw new Invalid("arch", "x86_64 or aarch64");
        }
        if (!Set.of("bios", "uefi", "both").contains(String.valueOf(r.firmware()))) {
            throw new Invalid("firmware", "bios, uefi or both");
        }
        try {
            if (!QCOW2.equals(r.format())) {
                ImageScan.Format.of(String.valueOf(r.format()));
            }
        } catch (IllegalArgumentException e) {
            throw new Invalid("format", e.getMessage() + ", or qcow2 (converted to raw.zst when published)");
        }
        if (r.rawSize() != null && r.rawSize() < 0) {
            throw new Invalid("rawSize", "not negative");
        }
        if (r.labels() != null) {
            if (r.labels().size() > 64) {
                throw new Invalid("labels", "at most 64");
            }
            r.labels().forEach((k, v) -> {
                match("labels." + k, k, LABEL, "a label name: letters, digits, ._/-, at most 63");
                if (v == null || v.length() > 63 || (!v.isEmpty() && !LABEL.matcher(v).matches())) {
                    throw new Invalid("labels." + k, "a label value: letters, digits, ._/-, at most 63");
                }
            });
        }
        if (r.bootHints() != null) {
            r.bootHints().forEach((k, v) -> {
                if (!HINTS.contains(k)) {
                    throw new Invalid("bootHints." + k, "not a boot hint (root, kernel, initrd, cmdline)");
                }
                if (v == null || v.isBlank() || v.length() > 1024 || v.chars().anyMatch(ch -> ch < 0x20)) {
                    throw new Invalid("bootHints." + k, "one line of at most 1024 characters");
                }
            });
        }
    }

    private static void match(String field, String value, Pattern p, String rule) {
        if (value == null || !p.matcher(value).matches() || value.contains("..")) {
            throw new Invalid(field, rule);
        }
    }
}

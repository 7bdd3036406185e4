package io.pxewings.image.catalog;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;

import javax.sql.DataSource;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.pxewings.events.EventTypes;
import io.pxewings.events.catalog.EventType;
import io.pxewings.events.codec.Traceparent;
import io.pxewings.events.image.ImageChanged;
import io.pxewings.events.image.ImageSnapshot;
import io.pxewings.image.config.ImageConfig;
import io.pxewings.image.facts.Outbox;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

/**
 * The image catalog in PostgreSQL: an image is {@code name} + {@code version}, immutable once
 * published; only its state moves (published → deprecated → yanked, or deleted). Every change and
 * its fact commit in one transaction ({@link Outbox}).
 */
@ApplicationScoped
public class Catalog {

    static final ObjectMapper JSON = new ObjectMapper();

    /** A name and version that exist already. */
    public static final class Exists extends RuntimeException {
        public Exists(String message) {
            super(message, null, false, false);
        }
    }

    /** A state change the rules do not allow (yanked is final). */
    public static final class Refused extends RuntimeException {
        public Refused(String message) {
            super(message, null, false, false);
        }
    }

    /** A page of images and the cursor of the next one. */
    public record Page(List<ImageSnapshot> images, String next) {
    }

    @Inject
    DataSource db;

    @Inject
    Outbox outbox;

    @Inject
    ImageConfig config;

    /** Inserts a new image (all of its fields known, checked and scanned) and its {@code image.published} fact. */
    public ImageSnapshot publish(ImageSnapshot i, String minisig, String by, Traceparent trace) {
        return tx(c -> {
            try (PreparedStatement q = c.prepareStatement("""
                    INSERT INTO images (id, name, version, os, arch, firmware, format, size, sha256, raw_size, raw_sha256, labels,
                      signature, signed_by, minisig, boot_hints, state, created_at, updated_at, source_format, source_sha256)
                    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?::jsonb, ?, ?, ?, ?::jsonb, 'published', ?, ?, ?, ?)
                    ON CONFLICT (name, version) DO NOTHING""")) {
                q.setObject(1, UUID.fromString(i.id()));
                q.setString(2, i.name());
                q.setString(3, i.version());
                q.setString(4, i.os());
                q.setString(5, i.arch());
                q.setString(6, i.firmware());
                q.setString(7, i.format());
                q.setLong(8, i.size());
                q.setString(9, i.sha256());
                q.setLong(10, i.rawSize());
                q.setString(11, i.rawSha256());
                q.setString(12, json(i.labels()));
                q.setString(13, i.signature());
                q.setString(14, i.signedBy());
                q.setString(15, minisig);
                q.setString(16, json(i.bootHints()));
                q.setTimestamp(17, Timestamp.from(i.createdAt()));
                q.setTimestamp(18, Timestamp.from(i.updatedAt()));
                q.setString(19, i.sourceFormat());
                q.setString(20, i.sourceSha256());
                if (q.executeUpdate() == 0) {
                    throw new Exists(i.name() + ":" + i.version() + " exists: a published version never changes; publish another");
                }
            }
            ImageSnapshot stored = get(c, i.name(), i.version()).orElseThrow();
            outbox.add(c, EventTypes.IMAGE_PUBLISHED, stored.name(), new ImageChanged(stored, null, by), trace);
            return stored;
        });
    }

    public Optional<ImageSnapshot> get(String name, String version) {
        return tx(c -> get(c, name, version));
    }

    /** Deprecate or yank: the new state, with the operator's reason and its fact. */
    public ImageSnapshot change(String name, String version, String to, String reason, String by, Traceparent trace) {
        return tx(c -> {
            ImageSnapshot now = get(c, name, version).orElseThrow(() -> new Refused("no image " + name + ":" + version));
            if (now.state().equals("yanked")) {
                throw new Refused(name + ":" + version + " is yanked: that is final");
            }
            if (now.state().equals(to)) {
                return now;   // idempotent: nothing changed, no fact
            }
            try (PreparedStatement q = c.prepareStatement("UPDATE images SET state = ?, reason = ?, updated_at = ? WHERE name = ? AND version = ?")) {
                q.setString(1, to);
                q.setString(2, reason);
                q.setTimestamp(3, Timestamp.from(Instant.now()));
                q.setString(4, name);
                q.setString(5, version);
                q.executeUpdate();
            }
            ImageSnapshot after = get(c, name, version).orElseThrow();
            EventType<ImageChanged> type = to.equals("yanked") ? EventTypes.IMAGE_YANKED : EventTypes.IMAGE_DEPRECATED;
            outbox.add(c, type, name, new ImageChanged(after, reason, by), trace);
            return after;
        });
    }

    /** Removes an image (its blob goes with the next garbage collection, if no other image uses it). */
    public Optional<ImageSnapshot> delete(String name, String version, String by, Traceparent trace) {
        return tx(c -> {
            Optional<ImageSnapshot> now = get(c, name, version);
            if (now.isEmpty()) {
                return now;
            }
            try (PreparedStatement q = c.prepareStatement("DELETE FROM images WHERE name = ? AND version = ?")) {
                q.setString(1, name);
                q.setString(2, version);
                q.executeUpdate();
            }
            outbox.add(c, EventTypes.IMAGE_DELETED, name, new ImageChanged(now.get(), null, by), trace);
            return now;
        });
    }

    /**
     * A page of images, newest first, filtered; {@code after} is the previous page's cursor
     * (keyset pagination: a page costs the same however deep).
     */
    public Page list(String name, String os, String arch, String state, Map<String, String> labels, int limit, String after) {
        StringBuilder sql = new StringBuilder(SELECT + " WHERE true");
        List<Object> args = new ArrayList<>();
        if (name != null) {
            sql.append(" AND name = ?");
            args.add(name);
        }
        if (os != null) {
            sql.append(" AND os = ?");
            args.add(os);
        }
        if (arch != null) {
            sql.append(" AND arch = ?");
            args.add(arch);
        }
        if (state != null) {
            sql.append(" AND state = ?");
            args.add(state);
        }
        if (!labels.isEmpty()) {
            sql.append(" AND labels @> ?::jsonb");
            args.add(json(labels));
        }
        if (after != null) {
            Cursor c = Cursor.parse(after);
            sql.append(" AND (created_at, id) < (?, ?)");
            args.add(Timestamp.from(c.createdAt()));
            args.add(c.id());
        }
        sql.append(" ORDER BY created_at DESC, id DESC LIMIT ?");
        args.add(limit + 1);
        return tx(c -> {
            List<ImageSnapshot> out = new ArrayList<>();
            try (PreparedStatement q = c.prepareStatement(sql.toString())) {
                for (int i = 0; i < args.size(); i++) {
                    q.setObject(i + 1, args.get(i));
                }
                try (ResultSet rs = q.executeQuery()) {
                    while (rs.next()) {
                        out.add(row(rs));
                    }
                }
            }
            String next = null;
            if (out.size() > limit) {
                out = out.subList(0, limit);
                ImageSnapshot last = out.get(limit - 1);
                next = new Cursor(last.createdAt(), UUID.fromString(last.id())).text();
            }
            return new Page(out, next);
        });
    }

    /** Every blob an image stored in the catalog names: garbage collection keeps these. */
    public Set<String> referencedBlobs() {
        return tx(c -> {
            Set<String> out = new HashSet<>();
            try (PreparedStatement q = c.prepareStatement("SELECT DISTINCT sha256 FROM images"); ResultSet rs = q.executeQuery()) {
                while (rs.next()) {
                    out.add(rs.getString(1));
                }
            }
            return out;
        });
    }

    /** The minisign signature an image was published with, for agents and audits. */
    public Optional<String> minisig(String name, String version) {
        return tx(c -> {
            try (PreparedStatement q = c.prepareStatement("SELECT minisig FROM images WHERE name = ? AND version = ?")) {
                q.setString(1, name);
                q.setString(2, version);
                try (ResultSet rs = q.executeQuery()) {
                    return rs.next() ? Optional.ofNullable(rs.getString(1)) : Optional.empty();
                }
            }
        });
    }

    private Optional<ImageSnapshot> get(Connection c, String name, String version) throws SQLException {
        try (PreparedStatement q = c.prepareStatement(SELECT + " WHERE name = ? AND version = ?")) {
            q.setString(1, name);
            q.setString(2, version);
            try (ResultSet rs = q.executeQuery()) {
                return rs.next() ? Optional.of(row(rs)) : Optional.empty();
            }
        }
    }

    static final String SELECT = "SELECT id, name, version, os, arch, firmware, format, size, sha256, raw_size, raw_sha256, labels, "
            + "signature, signed_by, boot_hints, state, created_at, updated_at, source_format, source_sha256 FROM images";

    private ImageSnapshot row(ResultSet rs) throws SQLException {
        String signature = rs.getString(13);
        String state = rs.getString(16);
        boolean deployable = !state.equals("yanked") && (signature.equals("verified") || !config.requireSignature());
        return new ImageSnapshot(rs.getObject(1).toString(), rs.getString(2), rs.getString(3), rs.getString(4), rs.getString(5),
                rs.getString(6), rs.getString(7), rs.getLong(8), rs.getString(9), rs.getLong(10), rs.getString(11), map(rs.getString(12)),
                signature, rs.getString(14), map(rs.getString(15)), state, deployable, rs.getTimestamp(17).toInstant(),
                rs.getTimestamp(18).toInstant(), rs.getString(19), rs.getString(20));
    }

    interface Work<T> {
        T run(Connection c) throws SQLException;
    }

    private <T> T tx(Work<T> work) {
        try (Connection c = db.getConnection()) {
            boolean auto = c.getAutoCommit();
            c.setAutoCommit(false);
            try {
                T out = work.run(c);
                c.commit();
                return out;
            } catch (SQLException | RuntimeException e) {
                c.rollback();
                throw e;
            } finally {
                c.setAutoCommit(auto);
            }
        } catch (SQLException e) {
            throw new IllegalStateException("catalog: " + e.getMessage(), e);
        }
    }

    static String json(Map<String, String> m) {
        try {
            return JSON.writeValueAsString(m == null ? Map.of() : m);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    static Map<String, String> map(String json) {
        try {
            return JSON.readValue(json == null ? "{}" : json, new TypeReference<Map<String, String>>() { });
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Keyset cursor: the last image's creation time and id, base64url. */
    record Cursor(Instant createdAt, UUID id) {
        String text() {
            return java.util.Base64.getUrlEncoder().withoutPadding().encodeToString((createdAt.toString() + "|" + id)
                    .getBytes(java.nio.charset.StandardCharsets.UTF_8));
        }

        static Cursor parse(String s) {
            try {
                String[] p = new String(java.util.Base64.getUrlDecoder().decode(s), java.nio.charset.StandardCharsets.UTF_8).split("\\|");
                return new Cursor(Instant.parse(p[0]), UUID.fromString(p[1]));
            } catch (RuntimeException e) {
                throw new IllegalArgumentException("after: not a cursor this service gave");
            }
        }
    }
}

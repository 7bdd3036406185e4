package io.pxewings.orchestrator.views;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.util.Map;
import java.util.Optional;

import io.pxewings.events.image.ImageSnapshot;
import jakarta.enterprise.context.ApplicationScoped;

/** The catalog's images as image-service's facts describe them: what a run writes and whether it may. */
@ApplicationScoped
public class Images {

    /** What runs need of an image. */
    public record Image(String name, String version, String firmware, String format, String sha256, long rawSize, String rawSha256,
                        Map<String, String> bootHints, String state, boolean deployable) {

        public String ref() {
            return name + ":" + version;
        }
    }

    public void upsert(Connection c, ImageSnapshot i) throws SQLException {
        try (PreparedStatement q = c.prepareStatement("""
                INSERT INTO image (name, version, firmware, format, sha256, raw_size, raw_sha256, boot_hints, state, deployable, created_at)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                ON CONFLICT (name, version) DO UPDATE SET state = excluded.state, deployable = excluded.deployable""")) {
            q.setString(1, i.name());
            q.setString(2, i.version());
            q.setString(3, i.firmware());
            q.setString(4, i.format());
            q.setString(5, i.sha256());
            q.setLong(6, i.rawSize());
            q.setString(7, i.rawSha256());
            q.setString(8, Json.write(i.bootHints()));
            q.setString(9, i.state());
            q.setBoolean(10, i.deployable());
            q.setTimestamp(11, Timestamp.from(i.createdAt() == null ? java.time.Instant.now() : i.createdAt()));
            q.executeUpdate();
        }
    }

    public void delete(Connection c, String name, String version) throws SQLException {
        try (PreparedStatement q = c.prepareStatement("DELETE FROM image WHERE name = ? AND version = ?")) {
            q.setString(1, name);
            q.setString(2, version);
            q.executeUpdate();
        }
    }

    /** {@code name:version}, or the newest deployable version of {@code name}. */
    public Optional<Image> find(Connection c, String ref) throws SQLException {
        int colon = ref.indexOf(':');
        String sql = "SELECT name, version, firmware, format, sha256, raw_size, raw_sha256, boot_hints, state, deployable FROM image WHERE name = ?"
                + (colon < 0 ? " AND deployable ORDER BY created_at DESC, version DESC LIMIT 1" : " AND version = ?");
        try (PreparedStatement q = c.prepareStatement(sql)) {
            q.setString(1, colon < 0 ? ref : ref.substring(0, colon));
            if (colon >= 0) {
                q.setString(2, ref.substring(colon + 1));
            }
            try (ResultSet rs = q.executeQuery()) {
                if (!rs.next()) {
                    return Optional.empty();
                }
                return Optional.of(new Image(rs.getString(1), rs.getString(2), rs.getString(3), rs.getString(4), rs.getString(5), rs.getLong(6),
                        rs.getString(7), Json.strings(rs.getString(8)), rs.getString(9), rs.getBoolean(10)));
            }
        }
    }

    /** A site cache that holds a blob: {@code source} is the cache instance's event source. */
    public record Cached(String digest, String site, String source, long bytes, java.time.Instant fetchedAt) {
    }

    /** A cache fetched {@code blob}; a fact read again only moves its time. */
    public void cached(Connection c, io.pxewings.events.image.CacheBlob blob, String site, String source, java.time.Instant at) throws SQLException {
        try (PreparedStatement q = c.prepareStatement("""
                INSERT INTO image_cache (digest, source, site, bytes, fetched_at) VALUES (?, ?, ?, ?, ?)
                ON CONFLICT (digest, source) DO UPDATE SET bytes = excluded.bytes, fetched_at = greatest(image_cache.fetched_at, excluded.fetched_at)""")) {
            q.setString(1, blob.digest());
            q.setString(2, source);
            q.setString(3, site);
            q.setLong(4, blob.bytes());
            q.setTimestamp(5, java.sql.Timestamp.from(at));
            q.executeUpdate();
        }
    }

    public void evicted(Connection c, String digest, String source) throws SQLException {
        try (PreparedStatement q = c.prepareStatement("DELETE FROM image_cache WHERE digest = ? AND source = ?")) {
            q.setString(1, digest);
            q.setString(2, source);
            q.executeUpdate();
        }
    }

    /** What the site caches hold, of one blob or of all ({@code digest} null), by digest and site. */
    public java.util.List<Cached> caches(Connection c, String digest) throws SQLException {
        try (PreparedStatement q = c.prepareStatement("SELECT digest, site, source, bytes, fetched_at FROM image_cache"
                + (digest == null ? "" : " WHERE digest = ?") + " ORDER BY digest, site, source")) {
            if (digest != null) {
                q.setString(1, digest);
            }
            java.util.List<Cached> out = new java.util.ArrayList<>();
            try (java.sql.ResultSet rs = q.executeQuery()) {
                while (rs.next()) {
                    out.add(new Cached(rs.getString(1), rs.getString(2), rs.getString(3), rs.getLong(4), rs.getTimestamp(5).toInstant()));
                }
            }
            return out;
        }
    }
}

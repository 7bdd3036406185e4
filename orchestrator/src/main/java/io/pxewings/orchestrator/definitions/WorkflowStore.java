package io.pxewings.orchestrator.definitions;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;

import javax.sql.DataSource;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

/** The stored versions of workflows, operators' and built-ins' (table {@code workflow_definition}); a version never changes once stored. */
@ApplicationScoped
public class WorkflowStore {

    /** One stored version: its YAML as uploaded (comments kept) and who stored it. */
    public record Stored(String name, int version, String source, String sha256, String description, String createdBy, Instant createdAt) {
    }

    @Inject
    DataSource db;

    /**
     * Stores {@code source} as the next version of {@code name}, or returns the newest version if it
     * has the same bytes (an upload repeated is not a new version). {@code created} says which.
     */
    public Saved save(String name, String source, String description, String by) throws SQLException {
        return save(name, source, description, by, false);
    }

    /** Who stores the built-ins. */
    public static final String BUILT_IN_BY = "orchestrator (built-in)";

    /**
     * Stores a built-in's shipped document as the next version of {@code name}, unless any version has
     * its bytes already (an instance of an older build restarted must not make its document newest
     * again); returns the version with those bytes.
     */
    public Stored saveBuiltIn(String name, String source, String description) throws SQLException {
        return save(name, source, description, BUILT_IN_BY, true).stored();
    }

    private Saved save(String name, String source, String description, String by, boolean anyVersion) throws SQLException {
        String sha = sha256(source);
        try (Connection c = db.getConnection()) {
            c.setAutoCommit(false);
            try {
                // Two uploads of one name at once get consecutive versions, not a key conflict.
                try (PreparedStatement q = c.prepareStatement("SELECT pg_advisory_xact_lock(hashtext('workflow:' || ?))")) {
                    q.setString(1, name);
                    q.execute();
                }
                Optional<Stored> newest = newest(c, name);
                Optional<Stored> same = anyVersion ? bySha(c, name, sha) : newest.filter(s -> s.sha256().equals(sha));
                if (same.isPresent()) {
                    c.commit();
                    return new Saved(same.get(), false);
                }
                int version = newest.map(s -> s.version() + 1).orElse(1);
                try (PreparedStatement q = c.prepareStatement("INSERT INTO workflow_definition (name, version, source, sha256, description, created_by)"
                        + " VALUES (?, ?, ?, ?, ?, ?)")) {
                    q.setString(1, name);
                    q.setInt(2, version);
                    q.setString(3, source);
                    q.setString(4, sha);
                    q.setString(5, description);
                    q.setString(6, by);
                    q.executeUpdate();
                }
                Stored s = get(c, name, version).orElseThrow();
                c.commit();
                return new Saved(s, true);
            } catch (SQLException | RuntimeException e) {
                c.rollback();
                throw e;
            }
        }
    }

    public record Saved(Stored stored, boolean created) {
    }

    public Optional<Stored> get(String name, int version) throws SQLException {
        try (Connection c = db.getConnection()) {
            return get(c, name, version);
        }
    }

    public Optional<Stored> newest(String name) throws SQLException {
        try (Connection c = db.getConnection()) {
            return newest(c, name);
        }
    }

    /** The newest version of each name, by name. */
    public List<Stored> newestOfEach() throws SQLException {
        try (Connection c = db.getConnection(); PreparedStatement q = c.prepareStatement("SELECT DISTINCT ON (name) " + COLUMNS
                + " FROM workflow_definition ORDER BY name, version DESC")) {
            return list(q);
        }
    }

    /** Every version of {@code name}, newest first. */
    public List<Stored> versions(String name) throws SQLException {
        try (Connection c = db.getConnection(); PreparedStatement q = c.prepareStatement("SELECT " + COLUMNS
                + " FROM workflow_definition WHERE name = ? ORDER BY version DESC")) {
            q.setString(1, name);
            return list(q);
        }
    }

    private static final String COLUMNS = "name, version, source, sha256, description, created_by, created_at";

    private static Optional<Stored> get(Connection c, String name, int version) throws SQLException {
        try (PreparedStatement q = c.prepareStatement("SELECT " + COLUMNS + " FROM workflow_definition WHERE name = ? AND version = ?")) {
            q.setString(1, name);
            q.setInt(2, version);
            return list(q).stream().findFirst();
        }
    }

    private static Optional<Stored> bySha(Connection c, String name, String sha) throws SQLException {
        try (PreparedStatement q = c.prepareStatement("SELECT " + COLUMNS + " FROM workflow_definition WHERE name = ? AND sha256 = ?"
                + " ORDER BY version DESC LIMIT 1")) {
            q.setString(1, name);
            q.setString(2, sha);
            return list(q).stream().findFirst();
        }
    }

    private static Optional<Stored> newest(Connection c, String name) throws SQLException {
        try (PreparedStatement q = c.prepareStatement("SELECT " + COLUMNS + " FROM workflow_definition WHERE name = ? ORDER BY version DESC LIMIT 1")) {
            q.setString(1, name);
            return list(q).stream().findFirst();
        }
    }

    private static List<Stored> list(PreparedStatement q) throws SQLException {
        List<Stored> out = new ArrayList<>();
        try (ResultSet rs = q.executeQuery()) {
            while (rs.next()) {
                out.add(new Stored(rs.getString(1), rs.getInt(2), rs.getString(3), rs.getString(4), rs.getString(5), rs.getString(6),
                        rs.getTimestamp(7).toInstant()));
            }
        }
        return out;
    }

    static String sha256(String s) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}

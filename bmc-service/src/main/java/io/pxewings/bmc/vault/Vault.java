package io.pxewings.bmc.vault;

import java.security.GeneralSecurityException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;

import javax.sql.DataSource;

import org.jboss.logging.Logger;

import io.pxewings.bmc.bmc.BmcCredentials;
import io.pxewings.bmc.config.BmcConfig;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;

/**
 * BMC credentials at rest: sealed under the current master key ({@link Sealed}), opened only to
 * log in to a BMC. Write-only from the outside: the API sets and deletes credentials and shows
 * their metadata (user, key id, when), and no call ever returns a password.
 */
@ApplicationScoped
public class Vault {

    private static final Logger LOG = Logger.getLogger(Vault.class);
    /** The references inventory-service accepts (its Credentials.REF). */
    public static final Pattern REF = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._:/@-]{0,199}");

    /** What the API may show of a credential. */
    public record Metadata(String ref, String username, String keyId, Instant updatedAt) {
    }

    @Inject
    DataSource db;

    @Inject
    BmcConfig config;

    private volatile MasterKeys keys;

    void start(@Observes StartupEvent e) {
        keys = MasterKeys.load(config.vault().masterKeys(), config.vault().masterKeyFile());
        LOG.infof("vault: master keys %s, current %s", keys.ids(), keys.currentId());
    }

    /** For tests: another set of master keys, as after a restart with a new configuration. */
    public void useKeys(MasterKeys k) {
        keys = k;
    }

    public MasterKeys keys() {
        return keys;
    }

    public void put(String ref, BmcCredentials c) {
        checkRef(ref);
        Sealed s = Sealed.seal(ref, c, keys.currentId(), keys.current());
        try (Connection conn = db.getConnection(); PreparedStatement q = conn.prepareStatement("""
                INSERT INTO credentials (ref, username, key_id, nonce, ciphertext, updated_at) VALUES (?, ?, ?, ?, ?, ?)
                ON CONFLICT (ref) DO UPDATE SET username = EXCLUDED.username, key_id = EXCLUDED.key_id,
                  nonce = EXCLUDED.nonce, ciphertext = EXCLUDED.ciphertext, updated_at = EXCLUDED.updated_at""")) {
            q.setString(1, ref);
            q.setString(2, c.user());
            q.setString(3, s.keyId());
            q.setBytes(4, s.nonce());
            q.setBytes(5, s.ciphertext());
            q.setTimestamp(6, Timestamp.from(Instant.now()));
            q.executeUpdate();
        } catch (SQLException e) {
            throw new IllegalStateException("vault: " + e.getMessage(), e);
        }
    }

    /** The credentials of {@code ref}, opened; empty when there are none. */
    public Optional<BmcCredentials> get(String ref) {
        try (Connection conn = db.getConnection(); PreparedStatement q = conn.prepareStatement(
                "SELECT username, key_id, nonce, ciphertext FROM credentials WHERE ref = ?")) {
            q.setString(1, ref);
            try (ResultSet rs = q.executeQuery()) {
                if (!rs.next()) {
                    return Optional.empty();
                }
                Sealed s = new Sealed(rs.getString(2), rs.getBytes(3), rs.getBytes(4));
                return Optional.of(open(ref, rs.getString(1), s));
            }
        } catch (SQLException e) {
            throw new IllegalStateException("vault: " + e.getMessage(), e);
        }
    }

    public Optional<Metadata> metadata(String ref) {
        try (Connection conn = db.getConnection(); PreparedStatement q = conn.prepareStatement(
                "SELECT username, key_id, updated_at FROM credentials WHERE ref = ?")) {
            q.setString(1, ref);
            try (ResultSet rs = q.executeQuery()) {
                return rs.next() ? Optional.of(new Metadata(ref, rs.getString(1), rs.getString(2), rs.getTimestamp(3).toInstant()))
                        : Optional.empty();
            }
        } catch (SQLException e) {
            throw new IllegalStateException("vault: " + e.getMessage(), e);
        }
    }

    /** When {@code ref}'s credentials last changed, to tell a cached BMC client it is stale. */
    public Optional<Instant> changedAt(String ref) {
        return metadata(ref).map(Metadata::updatedAt);
    }

    public boolean delete(String ref) {
        try (Connection conn = db.getConnection(); PreparedStatement q = conn.prepareStatement("DELETE FROM credentials WHERE ref = ?")) {
            q.setString(1, ref);
            return q.executeUpdate() > 0;
        } catch (SQLException e) {
            throw new IllegalStateException("vault: " + e.getMessage(), e);
        }
    }

    /**
     * Seals every credential that is under another key than the current one again, each in its
     * own statement that only changes a row still under the old key (so a concurrent set wins).
     * Returns how many were re-sealed; the rest of the service keeps working meanwhile.
     */
    public int rotate() {
        List<String[]> stale = new ArrayList<>();
        try (Connection conn = db.getConnection(); PreparedStatement q = conn.prepareStatement(
                "SELECT ref, key_id FROM credentials WHERE key_id <> ?")) {
            q.setString(1, keys.currentId());
            try (ResultSet rs = q.executeQuery()) {
                while (rs.next()) {
                    stale.add(new String[] {rs.getString(1), rs.getString(2)});
                }
            }
        } catch (SQLException e) {
            throw new IllegalStateException("vault: " + e.getMessage(), e);
        }
        int done = 0;
        for (String[] row : stale) {
            Optional<BmcCredentials> c = get(row[0]);
            if (c.isEmpty()) {
                continue;
            }
            Sealed s = Sealed.seal(row[0], c.get(), keys.currentId(), keys.current());
            try (Connection conn = db.getConnection(); PreparedStatement q = conn.prepareStatement(
                    "UPDATE credentials SET key_id = ?, nonce = ?, ciphertext = ? WHERE ref = ? AND key_id = ?")) {
                q.setString(1, s.keyId());
                q.setBytes(2, s.nonce());
                q.setBytes(3, s.ciphertext());
                q.setString(4, row[0]);
                q.setString(5, row[1]);
                done += q.executeUpdate();
            } catch (SQLException e) {
                throw new IllegalStateException("vault: " + e.getMessage(), e);
            }
        }
        LOG.infof("vault: %d credential(s) re-sealed under master key %s", done, keys.currentId());
        return done;
    }

    /** Credentials per master key id, for the API and a rotation's progress. */
    public java.util.Map<String, Integer> countsByKey() {
        java.util.Map<String, Integer> out = new java.util.TreeMap<>();
        try (Connection conn = db.getConnection(); PreparedStatement q = conn.prepareStatement(
                "SELECT key_id, count(*) FROM credentials GROUP BY key_id")) {
            try (ResultSet rs = q.executeQuery()) {
                while (rs.next()) {
                    out.put(rs.getString(1), rs.getInt(2));
                }
            }
        } catch (SQLException e) {
            throw new IllegalStateException("vault: " + e.getMessage(), e);
        }
        return out;
    }

    private BmcCredentials open(String ref, String user, Sealed s) {
        var key = keys.byId(s.keyId()).orElseThrow(() -> new VaultException("credentials " + ref + " are sealed under master key '"
                + s.keyId() + "', which this instance does not have (wings.bmc.vault.master-keys)"));
        try {
            return s.open(ref, user, key);
        } catch (GeneralSecurityException e) {
            throw new VaultException("credentials " + ref + " do not open under master key '" + s.keyId()
                    + "': tampered with, or another key of that id");
        }
    }

    public static void checkRef(String ref) {
        if (ref == null || !REF.matcher(ref).matches()) {
            throw new IllegalArgumentException("a credentials reference is letters, digits and ._:/@-, at most 200, like vault:dc1/bmc/r12");
        }
    }

    /** A credential that exists but cannot be opened here. */
    public static final class VaultException extends RuntimeException {
        public VaultException(String message) {
            super(message, null, false, false);
        }
    }
}

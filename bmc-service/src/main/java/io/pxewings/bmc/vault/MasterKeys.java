package io.pxewings.bmc.vault;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import javax.crypto.SecretKey;
import javax.crypto.spec.SecretKeySpec;

/**
 * The vault's master keys: AES-256 keys with ids, from {@code wings.bmc.vault.master-keys} or a
 * file. The first encrypts; every one decrypts, so a key can be rotated without downtime: add the
 * new key first on every instance, re-encrypt ({@code POST /api/v1/vault/rotate}), drop the old.
 */
public final class MasterKeys {

    private final String currentId;
    private final Map<String, SecretKey> keys;

    private MasterKeys(String currentId, Map<String, SecretKey> keys) {
        this.currentId = currentId;
        this.keys = keys;
    }

    /** Parses {@code id:base64} entries (commas or lines); a key that is not 32 bytes is refused at start. */
    public static MasterKeys parse(List<String> entries, String source) {
        Map<String, SecretKey> keys = new LinkedHashMap<>();
        String first = null;
        for (String raw : entries) {
            String e = raw.trim();
            if (e.isEmpty() || e.startsWith("#")) {
                continue;
            }
            int colon = e.indexOf(':');
            if (colon <= 0) {
                throw new IllegalArgumentException(source + ": a master key is id:base64 (an entry has no id)");
            }
            String id = e.substring(0, colon);
            if (!id.matches("[A-Za-z0-9._-]{1,32}")) {
                throw new IllegalArgumentException(source + ": master key id '" + id + "' (letters, digits, ._-; at most 32)");
            }
            byte[] key;
            try {
                key = Base64.getDecoder().decode(e.substring(colon + 1).trim());
            } catch (IllegalArgumentException bad) {
                throw new IllegalArgumentException(source + ": master key '" + id + "' is not base64");
            }
            if (key.length != 32) {
                throw new IllegalArgumentException(source + ": master key '" + id + "' has " + key.length + " bytes, not 32 (AES-256)");
            }
            if (keys.put(id, new SecretKeySpec(key, "AES")) != null) {
                throw new IllegalArgumentException(source + ": master key id '" + id + "' twice");
            }
            first = first == null ? id : first;
        }
        if (first == null) {
            throw new IllegalArgumentException(source + ": no master key");
        }
        return new MasterKeys(first, keys);
    }

    /** From the config: the list, else the file; neither is a clear error at start. */
    public static MasterKeys load(Optional<List<String>> list, Optional<String> file) {
        if (list.isPresent() && !list.get().isEmpty()) {
            return parse(list.get(), "wings.bmc.vault.master-keys");
        }
        if (file.isPresent()) {
            try {
                return parse(Files.readAllLines(Path.of(file.get())), "wings.bmc.vault.master-key-file " + file.get());
            } catch (IOException e) {
                throw new IllegalArgumentException("wings.bmc.vault.master-key-file " + file.get() + ": " + e.getMessage());
            }
        }
        throw new IllegalArgumentException("wings.bmc.vault.master-keys or wings.bmc.vault.master-key-file is required: "
                + "the credential vault has no master key (./wings up makes one under .wings/)");
    }

    public String currentId() {
        return currentId;
    }

    SecretKey current() {
        return keys.get(currentId);
    }

    Optional<SecretKey> byId(String id) {
        return Optional.ofNullable(keys.get(id));
    }

    public List<String> ids() {
        return new ArrayList<>(keys.keySet());
    }

    @Override
    public String toString() {
        return "MasterKeys" + ids() + " (current " + currentId + ")";
    }
}

package io.pxewings.image.signing;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.jboss.logging.Logger;

import io.pxewings.image.config.ImageConfig;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;

/** The site's trusted minisign public keys, by key id ({@code wings.image.trusted-keys}, {@code trusted-keys-file}). */
@ApplicationScoped
public class TrustedKeys {

    private static final Logger LOG = Logger.getLogger(TrustedKeys.class);

    @Inject
    ImageConfig config;

    private volatile Map<String, Minisign.PublicKeyInfo> keys = Map.of();

    void start(@Observes StartupEvent e) throws IOException {
        List<String> lines = new ArrayList<>(config.trustedKeys().orElse(List.of()));
        if (config.trustedKeysFile().isPresent()) {
            Path f = Path.of(config.trustedKeysFile().get());
            if (Files.exists(f)) {
                lines.addAll(Files.readAllLines(f));
            } else {
                LOG.warnf("wings.image.trusted-keys-file %s does not exist: no keys from it", f);
            }
        }
        Map<String, Minisign.PublicKeyInfo> out = new LinkedHashMap<>();
        for (String l : lines) {
            if (l.isBlank() || l.startsWith("untrusted comment:")) {
                continue;
            }
            try {
                Minisign.PublicKeyInfo k = Minisign.publicKey(l.trim());
                out.put(k.keyId(), k);
            } catch (Minisign.Malformed m) {
                throw new IllegalArgumentException("wings.image.trusted-keys: '" + l.trim() + "': " + m.getMessage());
            }
        }
        keys = Map.copyOf(out);
        LOG.infof("trusted image signing keys: %s; signatures %s", keys.keySet(), config.requireSignature() ? "required" : "optional");
    }

    public Optional<Minisign.PublicKeyInfo> byId(String keyId) {
        return Optional.ofNullable(keys.get(keyId));
    }

    /** For tests: the keys, replaced. */
    public void use(Map<String, Minisign.PublicKeyInfo> k) {
        keys = Map.copyOf(k);
    }
}

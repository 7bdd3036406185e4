package io.pxewings.httpboot.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import jakarta.validation.constraints.Pattern;

/** http-boot-service settings under {@code wings.http-boot.*}; an invalid value stops the service at start, naming the key. */
@ConfigMapping(prefix = "wings.http-boot")
public interface HttpBootConfig {

    /** Directory of kernels, initrds, ISOs and EFI binaries served under /files/. */
    @WithDefault(".wings/files")
    String filesRoot();

    /** Base URL machines use to reach this service (goes into iPXE scripts and DHCP answers). */
    @WithDefault("http://127.0.0.1:8080")
    @Pattern(regexp = "https?://[^\\s/]+(/.*)?", message = "must be an http:// or https:// URL")
    String publicUrl();
}

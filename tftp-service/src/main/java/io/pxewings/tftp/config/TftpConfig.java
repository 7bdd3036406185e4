package io.pxewings.tftp.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;

/** tftp-service settings under {@code wings.tftp.*}; an invalid value stops the service at start, naming the key. */
@ConfigMapping(prefix = "wings.tftp")
public interface TftpConfig {

    /** Directory files are served from; nothing outside it is ever served. */
    @WithDefault(".wings/tftp")
    String root();

    /** Address the TFTP socket binds. */
    @WithDefault("127.0.0.1")
    String bindAddress();

    /** UDP port: 69 in production, 6969 in local mode. */
    @WithDefault("6969")
    @Min(1) @Max(65535)
    int port();
}

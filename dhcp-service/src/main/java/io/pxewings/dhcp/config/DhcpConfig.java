package io.pxewings.dhcp.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;

/** dhcp-service settings under {@code wings.dhcp.*}; an invalid value stops the service at start, naming the key. */
@ConfigMapping(prefix = "wings.dhcp")
public interface DhcpConfig {

    /** {@code server} hands out addresses; {@code proxy} only adds boot options beside another DHCP server. */
    @WithDefault("server")
    Mode mode();

    /** Address the DHCP socket binds; loopback in local mode, an interface address or a lab namespace otherwise. */
    @WithDefault("127.0.0.1")
    String bindAddress();

    /** UDP port: 67 in production, 6767 in local mode so no root and no host interface is needed. */
    @WithDefault("6767")
    @Min(1) @Max(65535)
    int port();

    enum Mode { server, proxy }
}

package io.pxewings.dhcp.codec;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;

/** Golden packets in src/test/resources/golden: hex with '#' comments. */
final class Golden {

    private Golden() {
    }

    static byte[] bytes(String name) {
        try (InputStream in = Golden.class.getResourceAsStream("/golden/" + name)) {
            if (in == null) {
                throw new IllegalArgumentException("no golden file " + name);
            }
            return Hex.parse(new String(in.readAllBytes(), StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static DhcpPacket packet(String name) {
        try {
            return DhcpCodec.decode(bytes(name));
        } catch (MalformedPacketException e) {
            throw new AssertionError(name + " does not decode", e);
        }
    }
}

package io.pxewings.dhcp.lease;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.Inet4Address;
import java.time.Instant;

/**
 * One lease as a journal record payload (big-endian): version 1, state, MAC, address, subnet,
 * host name, updated and expiry times in epoch milliseconds. Framing and checksums are the
 * journal's.
 */
final class LeaseRecordFormat {

    static final int VERSION = 1;

    private LeaseRecordFormat() {
    }

    static byte[] encode(Lease lease) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(64);
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            out.writeByte(VERSION);
            out.writeByte(lease.state().ordinal());
            out.writeUTF(lease.mac());
            out.write(lease.ip().getAddress());
            out.writeUTF(lease.subnet());
            out.writeUTF(lease.hostname());
            out.writeLong(lease.updatedAt().toEpochMilli());
            out.writeLong(lease.expiresAt().toEpochMilli());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bytes.toByteArray();
    }

    /** @throws IOException for a payload that is not a version-1 lease */
    static Lease decode(byte[] payload) throws IOException {
        DataInputStream in = new DataInputStream(new ByteArrayInputStream(payload));
        int version = in.readUnsignedByte();
        if (version != VERSION) {
            throw new IOException("unknown lease record version " + version);
        }
        int state = in.readUnsignedByte();
        if (state >= Lease.State.values().length) {
            throw new IOException("unknown lease state " + state);
        }
        String mac = in.readUTF();
        byte[] ip = in.readNBytes(4);
        if (ip.length != 4) {
            throw new IOException("short address");
        }
        String subnet = in.readUTF();
        String hostname = in.readUTF();
        Instant updated = Instant.ofEpochMilli(in.readLong());
        Instant expires = Instant.ofEpochMilli(in.readLong());
        if (in.available() != 0) {
            throw new IOException(in.available() + " unexpected trailing bytes");
        }
        Inet4Address address = Ipv4.of(Ipv4.toLong((Inet4Address) Inet4Address.getByAddress(ip)));
        return new Lease(mac, address, subnet, Lease.State.values()[state], hostname, updated, expires);
    }
}

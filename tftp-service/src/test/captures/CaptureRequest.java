import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.SocketTimeoutException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HexFormat;

/**
 * Records the first datagram a TFTP client sends (its request) as hex, and answers nothing, so
 * the client gives up on its own. Single-file program, run by capture-requests.sh:
 * {@code java CaptureRequest.java PORT OUT.hex}. Loopback only.
 */
public final class CaptureRequest {
    public static void main(String[] args) throws Exception {
        try (DatagramSocket s = new DatagramSocket(Integer.parseInt(args[0]), InetAddress.getLoopbackAddress())) {
            s.setSoTimeout(20_000);
            System.out.println("ready");
            DatagramPacket p = new DatagramPacket(new byte[1500], 1500);
            try {
                s.receive(p);
            } catch (SocketTimeoutException e) {
                System.err.println("no request within 20 s");
                System.exit(1);
            }
            Files.writeString(Path.of(args[1]), HexFormat.of().formatHex(p.getData(), 0, p.getLength()) + "\n");
        }
    }
}

package io.pxewings.console;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.Map;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;

/**
 * A service behind the console, on loopback: {@code /echo} answers with the method, path, query
 * and body it received; {@code /stream} sends two Server-Sent Events a second apart (so a proxy
 * that buffered the stream would be caught). Configured as upstream {@code stub}.
 */
public class StubUpstream implements QuarkusTestResourceLifecycleManager {

    private HttpServer server;

    @Override
    public Map<String, String> start() {
        try {
            server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        server.createContext("/echo", this::echo);
        server.createContext("/stream", this::stream);
        server.setExecutor(java.util.concurrent.Executors.newCachedThreadPool());
        server.start();
        return Map.of("wings.console.upstreams.stub", "http://127.0.0.1:" + server.getAddress().getPort());
    }

    void echo(HttpExchange ex) throws IOException {
        String body = new String(ex.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
        String uri = ex.getRequestURI().toString();
        byte[] out = ("{\"method\":\"" + ex.getRequestMethod() + "\",\"uri\":\"" + uri + "\",\"body\":\"" + body.replace("\"", "'") + "\"}")
                .getBytes(StandardCharsets.UTF_8);
        ex.getResponseHeaders().add("Content-Type", "application/json");
        ex.sendResponseHeaders(uri.contains("refuse") ? 409 : 200, out.length);
        try (OutputStream o = ex.getResponseBody()) {
            o.write(out);
        }
    }

    void stream(HttpExchange ex) throws IOException {
        ex.getResponseHeaders().add("Content-Type", "text/event-stream");
        ex.sendResponseHeaders(200, 0);
        try (OutputStream o = ex.getResponseBody()) {
            for (int i = 1; i <= 2; i++) {
                o.write(("id: " + i + "\nevent: x\ndata: {\"n\":" + i + ",\"at\":" + System.currentTimeMillis() + "}\n\n").getBytes(StandardCharsets.UTF_8));
                o.flush();
                if (i == 1) {
                    Thread.sleep(1000);
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void stop() {
        if (server != null) {
            server.stop(0);
        }
    }
}

package io.pxewings.console.proxy;

import java.net.URI;
import java.util.Map;

import org.jboss.logging.Logger;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.ext.web.Router;
import io.vertx.httpproxy.HttpProxy;
import io.vertx.httpproxy.ProxyContext;
import io.vertx.httpproxy.ProxyInterceptor;
import io.vertx.httpproxy.ProxyRequest;
import io.vertx.httpproxy.ProxyResponse;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;

/**
 * The services' own APIs under the console's origin: {@code /proxy/NAME/PATH} is forwarded,
 * unchanged but for the prefix, to {@code NAME}'s {@code PATH}, streamed both ways (an image upload
 * is never held in memory; a Server-Sent Events stream passes as it comes). So the pages use
 * exactly the APIs the CLI uses, the browser talks to one origin (no CORS on five services, one
 * place for TLS and sign-in), and an unknown name is a 404 problem before anything is sent.
 */
@ApplicationScoped
public class ApiProxy {

    private static final Logger LOG = Logger.getLogger(ApiProxy.class);
    static final String PREFIX = "/proxy/";

    @Inject
    ConsoleConfig config;

    @Inject
    Vertx vertx;

    void routes(@Observes Router router) {
        for (Map.Entry<String, URI> upstream : config.upstreams().entrySet()) {
            String name = upstream.getKey();
            URI to = upstream.getValue();
            if (!"http".equals(to.getScheme()) || to.getHost() == null) {
                throw new IllegalStateException("wings.console.upstreams." + name + ": an http://HOST:PORT URL, not '" + to + "'");
            }
            HttpClient client = vertx.createHttpClient(new HttpClientOptions().setMaxPoolSize(32).setKeepAlive(true));
            HttpProxy proxy = HttpProxy.reverseProxy(client).origin(to.getPort() < 0 ? 80 : to.getPort(), to.getHost());
            String prefix = PREFIX + name;
            proxy.addInterceptor(new StripPrefix(prefix));
            router.route(prefix + "/*").order(-1).handler(rc -> proxy.handle(rc.request()));
            LOG.infof("%s/* -> %s", prefix, to);
        }
        // The names, for the pages: a site's own dhcp-service is upstream "dhcp-SITE" where there is one.
        router.get("/proxy").order(-1).handler(rc -> rc.response().putHeader("Content-Type", "application/json")
                .end(io.vertx.core.json.Json.encode(java.util.Map.of("upstreams", new java.util.TreeSet<>(config.upstreams().keySet())))));
        // Any other name: say which exist, as problem+json, like every API of the suite.
        router.route(PREFIX + "*").order(0).handler(rc -> rc.response().setStatusCode(404)
                .putHeader("Content-Type", "application/problem+json")
                .end("{\"status\":404,\"title\":\"Not Found\",\"detail\":\"no service '" + firstSegment(rc.normalizedPath())
                        + "' behind the console; known: " + new java.util.TreeSet<>(config.upstreams().keySet()) + "\"}"));
    }

    private static String firstSegment(String path) {
        String rest = path.substring(PREFIX.length());
        int slash = rest.indexOf('/');
        return (slash < 0 ? rest : rest.substring(0, slash)).replaceAll("[^A-Za-z0-9._-]", "?");
    }

    /** {@code /proxy/NAME/api/v1/x?y} goes upstream as {@code /api/v1/x?y}. */
    record StripPrefix(String prefix) implements ProxyInterceptor {
        @Override
        public Future<ProxyResponse> handleProxyRequest(ProxyContext context) {
            ProxyRequest request = context.request();
            String uri = request.getURI();
            request.setURI(uri.length() > prefix.length() ? uri.substring(prefix.length()) : "/");
            return context.sendRequest();
        }
    }
}

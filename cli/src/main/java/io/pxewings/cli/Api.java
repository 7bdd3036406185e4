package io.pxewings.cli;

import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.time.Duration;
import java.util.Map;
import java.util.stream.Stream;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * One service's REST API: JSON in and out. A refusal (4xx, 5xx) becomes a {@link CliException}
 * carrying the problem+json {@code detail}; a service that does not answer, one naming it and its URL.
 */
public final class Api {

    static final ObjectMapper JSON = new ObjectMapper();

    private final HttpClient http;
    private final String service;
    private final URI base;

    public Api(HttpClient http, String service, URI base) {
        this.http = http;
        this.service = service;
        this.base = base;
    }

    public URI base() {
        return base;
    }

    public JsonNode get(String path) {
        return send(request(path).GET(), path);
    }

    public JsonNode post(String path, Object body, Map<String, String> headers) {
        HttpRequest.Builder r = request(path).header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(write(body)));
        headers.forEach(r::header);
        return send(r, path);
    }

    /** A body that is not JSON (a workflow's YAML), as it is. */
    public JsonNode post(String path, String contentType, String body) {
        return send(request(path).header("Content-Type", contentType).POST(HttpRequest.BodyPublishers.ofString(body)), path);
    }

    public JsonNode put(String path, Object body) {
        return send(request(path).header("Content-Type", "application/json").PUT(HttpRequest.BodyPublishers.ofString(write(body))), path);
    }

    /** A Server-Sent-Events response as lines; the caller closes the stream. */
    public Stream<String> lines(String path, Map<String, String> headers) {
        HttpRequest.Builder r = HttpRequest.newBuilder(base.resolve(path)).header("Accept", "text/event-stream");
        headers.forEach(r::header);
        try {
            HttpResponse<Stream<String>> answer = http.send(r.GET().build(), HttpResponse.BodyHandlers.ofLines());
            if (answer.statusCode() >= 400) {
                String body = String.join("\n", answer.body().toList());
                throw refused(answer.statusCode(), body, path);
            }
            return answer.body();
        } catch (IOException e) {
            throw unreachable(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new CliException(CliException.REFUSED, "interrupted");
        }
    }

    private HttpRequest.Builder request(String path) {
        return HttpRequest.newBuilder(base.resolve(path)).timeout(Duration.ofSeconds(90)).header("Accept", "application/json");
    }

    private JsonNode send(HttpRequest.Builder r, String path) {
        try {
            HttpResponse<String> answer = http.send(r.build(), HttpResponse.BodyHandlers.ofString());
            if (answer.statusCode() >= 400) {
                throw refused(answer.statusCode(), answer.body(), path);
            }
            return answer.body() == null || answer.body().isBlank() ? JSON.createObjectNode() : JSON.readTree(answer.body());
        } catch (JsonProcessingException e) {
            throw new CliException(CliException.REFUSED, service + " answered " + path + " with something that is not JSON: " + e.getOriginalMessage());
        } catch (IOException e) {
            throw unreachable(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new CliException(CliException.REFUSED, "interrupted");
        }
    }

    private CliException refused(int status, String body, String path) {
        String detail = body;
        try {
            JsonNode problem = JSON.readTree(body);
            if (problem.hasNonNull("detail")) {
                detail = problem.get("detail").asText();
                // A problem with a list of them (a workflow document's): each on its own line.
                for (JsonNode e : problem.path("errors")) {
                    detail += "\n  - " + e.asText();
                }
            } else if (problem.hasNonNull("title")) {
                detail = problem.get("title").asText();
            }
        } catch (IOException | RuntimeException notJson) {
            // the body as it came
        }
        return new CliException(CliException.REFUSED, service + " refused " + path.replaceAll("\\?.*", "") + " (" + status + "): " + detail);
    }

    private CliException unreachable(IOException e) {
        String why = e instanceof ConnectException ? "nothing listens there; is the suite up (./wings status)?"
                : e instanceof HttpTimeoutException ? "no answer in time" : e.toString();
        return new CliException(CliException.UNREACHABLE, service + " is not reachable on " + base + ": " + why);
    }

    static String write(Object body) {
        try {
            return JSON.writeValueAsString(body);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException(e);
        }
    }
}

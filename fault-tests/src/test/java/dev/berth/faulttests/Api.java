package dev.berth.faulttests;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** The platform's REST API at one instance, as the admin's token. */
record Api(String baseUrl, String authorization) {
    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(3)).build();

    /** What came back, whatever the status. */
    record Answer(int status, String contentType, String body) {
        JsonNode json() {
            return body.isBlank() ? JSON.createObjectNode() : JSON.readTree(body);
        }
    }

    Answer send(String method, String path, String body) throws IOException, InterruptedException {
        return send(method, path, body, Duration.ofSeconds(30));
    }

    /** {@code method path} waiting at most {@code timeout}; without a token when {@link #anonymous()}. */
    Answer send(String method, String path, String body, Duration timeout) throws IOException, InterruptedException {
        var builder = HttpRequest.newBuilder(URI.create(baseUrl + path)).timeout(timeout)
                .header("Accept", "application/json, application/problem+json");
        if (!authorization.isEmpty()) builder.header("Authorization", authorization);
        if (body != null) builder.header("Content-Type", "application/json");
        builder.method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        var response = HTTP.send(builder.build(), HttpResponse.BodyHandlers.ofString());
        return new Answer(response.statusCode(), response.headers().firstValue("Content-Type").orElse(""), response.body());
    }

    /** {@code method path} must answer {@code expected}; its JSON body. */
    JsonNode call(String method, String path, String body, int expected) throws IOException, InterruptedException {
        var answer = send(method, path, body);
        assertThat(answer.status()).as(method + " " + baseUrl + path + ": " + answer.body()).isEqualTo(expected);
        return answer.json();
    }

    JsonNode get(String path) throws IOException, InterruptedException {
        return call("GET", path, null, 200);
    }

    /** A GET whose body is not one JSON document (the audit export is JSON Lines). */
    String text(String path) throws IOException, InterruptedException {
        var answer = send("GET", path, null);
        assertThat(answer.status()).as("GET " + path + ": " + answer.body()).isEqualTo(200);
        return answer.body();
    }

    /** The same instance without a token. */
    Api anonymous() {
        return new Api(baseUrl, "");
    }

    /** The same token at another instance. */
    Api at(String otherBaseUrl) {
        return new Api(otherBaseUrl, authorization);
    }
}

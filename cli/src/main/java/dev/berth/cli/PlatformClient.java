package dev.berth.cli;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The platform's public REST API, as one signed-in caller: JSON in and out, and every refusal
 * turned into a {@link CliFailure} carrying the problem document's detail.
 */
public final class PlatformClient {
    /** The most of one answer read into memory; the API's largest lists stay far below it. */
    static final int MAX_ANSWER_BYTES = 16 << 20;
    static final JsonMapper JSON = JsonMapper.builder().build();
    private static final HttpClient HTTP = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NEVER)
            .connectTimeout(Duration.ofSeconds(10)).build();

    private final String platform;
    private final String token;

    public PlatformClient(String platform, String token) {
        this.platform = platform;
        this.token = token;
    }

    public String platform() {
        return platform;
    }

    /** One path segment, escaped: team and app names go into paths. */
    public static String segment(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8).replace("+", "%20");
    }

    public JsonNode get(String path) {
        return send("GET", path, null);
    }

    public JsonNode post(String path, Object body) {
        return send("POST", path, body);
    }

    public JsonNode put(String path, Object body) {
        return send("PUT", path, body);
    }

    /** The platform's calls that need no sign-in (the command line's sign-in itself). */
    public static PlatformClient anonymous(String platform) {
        return new PlatformClient(platform, null);
    }

    /** An answer of any status: its status and its body (null when empty or not JSON). */
    public record Answer(int status, JsonNode json) {
        public boolean ok() {
            return status >= 200 && status < 300;
        }

        /** The problem document's detail, else its title, else a fixed phrase. */
        public String why() {
            String detail = json == null ? null : AppViews.text(json, "detail");
            String title = json == null ? null : AppViews.text(json, "title");
            return detail != null && !detail.isBlank() ? detail : title != null ? title : "no reason given";
        }
    }

    /** Sends a POST and hands back whatever came, refusals included; only failing to talk to the platform throws. */
    public Answer exchange(String path, Object body) {
        var raw = call("POST", path, body);
        JsonNode json = null;
        if (raw.body().length > 0) {
            try {
                json = JSON.readTree(raw.body());
            } catch (JacksonException e) {
                // not JSON (a proxy's page, say): the status alone speaks
            }
        }
        return new Answer(raw.status(), json);
    }

    private record Raw(int status, byte[] body) {
    }

    private JsonNode send(String method, String path, Object body) {
        var raw = call(method, path, body);
        int status = raw.status();
        byte[] answer = raw.body();
        if (status >= 200 && status < 300) {
            if (answer.length == 0) return JSON.nullNode();
            try {
                return JSON.readTree(answer);
            } catch (JacksonException e) {
                throw new CliFailure(ExitCode.FAILED, method + " " + path + " answered " + status + " with a body that is not JSON;"
                        + " is " + platform + " a Berth platform?");
            }
        }
        throw refusal(status, answer, method + " " + path);
    }

    private Raw call(String method, String path, Object body) {
        var request = HttpRequest.newBuilder(URI.create(platform + path)).timeout(Duration.ofSeconds(60))
                .header("Accept", "application/json");
        if (token != null) request.header("Authorization", "Bearer " + token);
        if (body == null) {
            request.method(method, HttpRequest.BodyPublishers.noBody());
        } else {
            request.header("Content-Type", "application/json")
                    .method(method, HttpRequest.BodyPublishers.ofByteArray(JSON.writeValueAsBytes(body)));
        }
        HttpResponse<InputStream> response;
        byte[] answer;
        try {
            response = HTTP.send(request.build(), HttpResponse.BodyHandlers.ofInputStream());
            try (var in = response.body()) {
                answer = in.readNBytes(MAX_ANSWER_BYTES + 1);
            }
        } catch (IOException e) {
            throw new CliFailure(ExitCode.FAILED, "could not reach the platform at " + platform + ": " + describe(e));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new CliFailure(ExitCode.FAILED, "interrupted while waiting for the platform at " + platform);
        }
        if (answer.length > MAX_ANSWER_BYTES) {
            throw new CliFailure(ExitCode.FAILED, method + " " + path + " answered more than " + (MAX_ANSWER_BYTES >> 20)
                    + " MiB, more than this CLI reads");
        }
        return new Raw(response.statusCode(), answer);
    }

    /** The failure for a refused request, saying what the problem document says. */
    static CliFailure refusal(int status, byte[] answer, String request) {
        var code = switch (status) {
            case 401, 403 -> ExitCode.NOT_ALLOWED;
            case 404 -> ExitCode.NOT_FOUND;
            default -> ExitCode.FAILED;
        };
        String detail = null;
        String title = null;
        try {
            var problem = JSON.readTree(answer);
            detail = AppViews.text(problem, "detail");
            title = AppViews.text(problem, "title");
        } catch (JacksonException e) {
            // not a problem document (a proxy's page, say): the status alone speaks
        }
        String why = detail != null && !detail.isBlank() ? detail : title != null ? title : "no reason given";
        String hint = status == 401 ? "; sign in again with berth login URL" : "";
        if (status >= 300 && status < 400) {
            return new CliFailure(ExitCode.FAILED, request + " was redirected (" + status + "); is this the platform's address?");
        }
        return new CliFailure(code, "the platform refused " + request + " (" + status + "): " + why + hint);
    }

    private static String describe(IOException e) {
        return switch (e) {
            case java.net.ConnectException c -> "nothing accepts connections there (is the address right, and the platform up?)";
            case java.net.http.HttpTimeoutException t -> "it did not answer in time";
            default -> e.getMessage() == null || e.getMessage().isBlank() ? e.getClass().getSimpleName() : e.getMessage();
        };
    }
}

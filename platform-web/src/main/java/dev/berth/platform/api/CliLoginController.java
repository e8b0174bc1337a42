package dev.berth.platform.api;

import com.fasterxml.jackson.annotation.JsonProperty;
import dev.berth.platform.access.RequestOrigin;
import dev.berth.platform.clilogin.CliLoginService;
import dev.berth.platform.clilogin.PollVerdict;
import dev.berth.platform.repositories.GitProperties;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.servlet.http.HttpServletRequest;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Locale;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;

/**
 * The command line's sign-in through the browser, after RFC 8628 (OAuth 2.0 device authorization
 * grant). Both calls are anonymous by design: the CLI has no credential yet. The device code it
 * gets is the secret it polls with; a signed-in person approves the user code on /cli-login.
 */
@RestController
@Tag(name = "Command-line sign-in", description = "Signing the berth CLI in through the browser (RFC 8628 style)")
public class CliLoginController {
    private final CliLoginService logins;
    private final GitProperties platform;
    private final Clock clock;

    public CliLoginController(CliLoginService logins, GitProperties platform, Clock clock) {
        this.logins = logins;
        this.platform = platform;
        this.clock = clock;
    }

    /** Both optional: shown to the person asked to approve. */
    public record NewLoginRequest(String client, String host) {
    }

    public record LoginRequestStarted(@JsonProperty("device_code") String deviceCode, @JsonProperty("user_code") String userCode,
                                      @JsonProperty("verification_uri") String verificationUri,
                                      @JsonProperty("verification_uri_complete") String verificationUriComplete,
                                      @JsonProperty("expires_in") long expiresIn, int interval, Instant expiresAt) {
    }

    public record Collect(@JsonProperty("device_code") String deviceCode) {
    }

    /** RFC 8628's token response, with Berth's token id and expiry beside it. */
    public record CollectedToken(@JsonProperty("access_token") String accessToken, @JsonProperty("token_type") String tokenType,
                                 @JsonProperty("expires_in") long expiresIn, String id, String name, String owner,
                                 Instant expiresAt) {
    }

    @PostMapping("/api/v1/cli/login-requests")
    @ResponseStatus(HttpStatus.CREATED)
    @Operation(summary = "Start signing the CLI in through the browser (anonymous)",
            description = "Answers a secret device_code to poll with and a user_code for a person to approve at "
                    + "verification_uri within expires_in seconds. Body (at most 4 KiB): {client?, host?}, shown on the approval "
                    + "page. At most " + CliLoginService.MAX_REQUESTS_PER_SOURCE + " per source address in 10 minutes (429).")
    public LoginRequestStarted start(@RequestBody(required = false) NewLoginRequest body, HttpServletRequest request) {
        var started = logins.start(body == null ? null : body.client(), body == null ? null : body.host(), RequestOrigin.of(request));
        String page = platform.baseUrl() + "/cli-login";
        return new LoginRequestStarted(started.deviceCode().text(), started.userCode().display(), page,
                page + "?code=" + started.userCode().display(), CliLoginService.LIFETIME.toSeconds(), started.intervalSeconds(),
                started.expiresAt());
    }

    @PostMapping("/api/v1/cli/login-requests/token")
    @Operation(summary = "Poll for the CLI's token with the device code (anonymous)",
            description = "200 with the API token once a person approved, exactly once. Otherwise 400 problem documents whose "
                    + "'error' is authorization_pending (ask again after 'interval' seconds), slow_down (asked too soon: the "
                    + "interval grew), expired_token (expired, or already collected), access_denied or invalid_grant (no such request).")
    public ResponseEntity<?> collect(@RequestBody(required = false) Collect body, HttpServletRequest request) {
        var collected = logins.collect(body == null ? null : body.deviceCode(), RequestOrigin.of(request));
        return switch (collected) {
            case CliLoginService.Issued(var issued) -> {
                var d = issued.details();
                long expiresIn = Math.max(0, Duration.between(clock.instant(), d.expiresAt()).toSeconds());
                yield ResponseEntity.ok(new CollectedToken(issued.token(), "Bearer", expiresIn, d.id(), d.name(), d.owner(),
                        d.expiresAt()));
            }
            case CliLoginService.Waiting(var verdict) -> refusal(verdict);
        };
    }

    private static ResponseEntity<ProblemDetail> refusal(PollVerdict verdict) {
        record Answer(String error, String detail, Integer interval) {
        }
        var answer = switch (verdict) {
            case PollVerdict.Pending p -> new Answer("authorization_pending", "nobody has approved the sign-in yet; ask again in "
                    + p.intervalSeconds() + " s", p.intervalSeconds());
            case PollVerdict.SlowDown s -> new Answer("slow_down", "asked again too soon; wait " + s.intervalSeconds()
                    + " s between polls from now on", s.intervalSeconds());
            case PollVerdict.Expired e -> new Answer("expired_token", e.why(), null);
            case PollVerdict.Denied d -> new Answer("access_denied", d.why(), null);
            case PollVerdict.Unknown u -> new Answer("invalid_grant", "no sign-in request has this device code", null);
            case PollVerdict.Approved a -> throw new IllegalStateException("an approved request is collected, not refused");
        };
        var problem = ProblemDetail.forStatusAndDetail(HttpStatus.BAD_REQUEST, answer.detail());
        String title = answer.error().replace('_', ' ');
        problem.setTitle(title.substring(0, 1).toUpperCase(Locale.ROOT) + title.substring(1));
        problem.setProperty("error", answer.error());
        problem.setProperty("error_description", answer.detail());
        if (answer.interval() != null) problem.setProperty("interval", answer.interval());
        return ResponseEntity.badRequest().contentType(MediaType.APPLICATION_PROBLEM_JSON).body(problem);
    }
}

package dev.berth.cli;

import java.net.InetAddress;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Pattern;
import tools.jackson.databind.JsonNode;

/**
 * {@code berth login URL} without a token: the platform's device flow (after RFC 8628). Asks the
 * platform for a sign-in request, prints the page and the code for a person to approve, opens the
 * page if it can, and polls at the interval the platform sets (longer when it says slow_down)
 * until the token comes, the person denies, or the code expires.
 */
final class BrowserLogin {
    static final String START = "/api/v1/cli/login-requests";
    static final String COLLECT = "/api/v1/cli/login-requests/token";
    private static final Pattern HOST = Pattern.compile("[A-Za-z0-9._-]{1,64}");
    /** Past the code's own expiry, a poll still gets the platform's word on it; after this, the CLI stops by itself. */
    private static final Duration SLACK = Duration.ofSeconds(30);

    private final Terminal terminal;

    BrowserLogin(Terminal terminal) {
        this.terminal = terminal;
    }

    /** The token a person approved, or a failure saying why there is none. Nothing is saved here. */
    String token(String platform, boolean openBrowser) {
        var api = PlatformClient.anonymous(platform);
        var body = new LinkedHashMap<String, String>();
        body.put("client", "berth CLI");
        String host = hostName();
        if (host != null) body.put("host", host);
        var started = api.exchange(START, body);
        if (!started.ok() || started.json() == null) {
            if (started.status() == 404 || started.status() == 405) {
                throw new CliFailure(ExitCode.FAILED, platform + " does not offer signing in through the browser (" + started.status()
                        + "); create a token on its Tokens page and use berth login " + platform + " --token-stdin");
            }
            throw new CliFailure(ExitCode.FAILED, "the platform refused to start a sign-in (" + started.status() + "): " + started.why());
        }
        var json = started.json();
        String device = AppViews.text(json, "device_code");
        String code = AppViews.text(json, "user_code");
        String page = AppViews.text(json, "verification_uri_complete");
        int interval = Math.max(1, json.path("interval").asInt(5));
        long expiresIn = json.path("expires_in").asLong(600);
        if (device == null || code == null || page == null) {
            throw new CliFailure(ExitCode.FAILED, "the platform's answer to POST " + START + " lacks device_code, user_code or "
                    + "verification_uri_complete; is " + platform + " a Berth platform?");
        }
        terminal.err().println("Open " + page + " and confirm the code " + code);
        terminal.err().println("Waiting for the approval (the code expires in " + Math.max(1, expiresIn / 60) + " minutes; Ctrl-C stops) ...");
        terminal.err().flush();
        if (openBrowser) BrowserOpener.open(terminal, page);

        // Ctrl-C ends the JVM: say so, and that nothing was saved (nothing is written before the token comes).
        var hook = Thread.ofPlatform().unstarted(() -> terminal.err().println(System.lineSeparator()
                + "berth: sign-in stopped; nothing was saved"));
        Runtime.getRuntime().addShutdownHook(hook);
        try {
            return poll(api, device, code, interval, System.nanoTime() + Duration.ofSeconds(expiresIn).plus(SLACK).toNanos());
        } finally {
            try {
                Runtime.getRuntime().removeShutdownHook(hook);
            } catch (IllegalStateException shuttingDown) {
                // the hook runs: the JVM is ending
            }
        }
    }

    private String poll(PlatformClient api, String device, String code, int interval, long deadline) {
        while (true) {
            sleep(interval);
            var answer = api.exchange(COLLECT, Map.of("device_code", device));
            if (answer.ok() && answer.json() != null && AppViews.text(answer.json(), "access_token") != null) {
                return AppViews.text(answer.json(), "access_token");
            }
            JsonNode json = answer.json();
            String error = json == null ? "" : String.valueOf(AppViews.text(json, "error"));
            switch (error) {
                case "authorization_pending" -> {
                    // keep waiting
                }
                case "slow_down" -> interval = Math.max(interval + 5, json.path("interval").asInt(interval + 5));
                case "access_denied", "expired_token" -> throw new CliFailure(ExitCode.NOT_ALLOWED, "not signed in: " + answer.why());
                default -> {
                    // A platform briefly away (503, a proxy's 502) is waited out; any other answer ends the sign-in.
                    if (answer.status() != 502 && answer.status() != 503 && answer.status() != 504) {
                        throw new CliFailure(ExitCode.FAILED, "the platform refused POST " + COLLECT + " (" + answer.status() + "): "
                                + answer.why());
                    }
                }
            }
            if (System.nanoTime() - deadline > 0) {
                throw new CliFailure(ExitCode.NOT_ALLOWED, "not signed in: nobody approved the code " + code
                        + " in time; run berth login again");
            }
        }
    }

    private static void sleep(int seconds) {
        try {
            Thread.sleep(Duration.ofSeconds(seconds));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new CliFailure(ExitCode.FAILED, "sign-in interrupted; nothing was saved");
        }
    }

    /** This machine's name, shown to the approver and in the token's name; null when it has none worth showing. */
    private static String hostName() {
        try {
            String name = InetAddress.getLocalHost().getHostName();
            return name != null && HOST.matcher(name).matches() ? name : null;
        } catch (java.io.IOException e) {
            return null;
        }
    }
}

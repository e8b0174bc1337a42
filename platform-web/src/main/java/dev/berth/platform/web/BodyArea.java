package dev.berth.platform.web;

import java.util.List;

/**
 * Which part of the platform a request is for, and so how large a body it may send. Pure: the
 * decoded, normalised path in, the area out; the first area whose pattern matches wins.
 *
 * @param name how the limit is named in messages and settings
 * @param limit the largest body in bytes, or {@link #UNCAPPED} for a part that streams its body
 *              elsewhere than into memory (git pushes)
 * @param hint what the caller can do instead, for the 413's detail; may be empty
 */
public record BodyArea(String name, String pattern, long limit, String hint) {
    public static final long UNCAPPED = -1;
    /** The anonymous command-line sign-in calls' bodies. */
    public static final long CLI_LOGIN_MAX_BYTES = 4096;

    public boolean capped() {
        return limit != UNCAPPED;
    }

    boolean matches(String path) {
        return pattern.endsWith("/**") ? path.startsWith(pattern.substring(0, pattern.length() - 2))
                || path.equals(pattern.substring(0, pattern.length() - 3))
                : segments(pattern, path);
    }

    /** {@code *} stands for exactly one non-empty segment. */
    private static boolean segments(String pattern, String path) {
        String[] want = pattern.split("/", -1);
        String[] got = path.split("/", -1);
        if (want.length != got.length) return false;
        for (int i = 0; i < want.length; i++) {
            if (want[i].equals("*") ? got[i].isEmpty() : !want[i].equals(got[i])) return false;
        }
        return true;
    }

    /** The platform's areas, most specific first; anything else is the dashboard's. */
    public static List<BodyArea> areas(BodyLimitProperties limits, long logsMaxBytes) {
        return List.of(
                new BodyArea("webhook", "/api/v1/repositories/*/webhook", limits.webhookMaxBytes(),
                        "berth.bodies.webhook-max-bytes"),
                new BodyArea("agent logs", "/agent/v1/logs", logsMaxBytes,
                        "berth.logs.max-body-bytes; send the chunks in several requests"),
                new BodyArea("agent", "/agent/**", limits.agentMaxBytes(), "berth.bodies.agent-max-bytes"),
                // Anonymous callers: a client name and a host name, nothing more.
                new BodyArea("command-line sign-in", "/api/v1/cli/**", CLI_LOGIN_MAX_BYTES, "fixed: anyone may call it"),
                new BodyArea("api", "/api/**", limits.apiMaxBytes(), "berth.bodies.api-max-bytes"),
                new BodyArea("git", "/git/**", UNCAPPED, ""),
                new BodyArea("dashboard", "/**", limits.dashboardMaxBytes(), "berth.bodies.dashboard-max-bytes"));
    }

    /** The first of {@code areas} that {@code path} falls in. */
    public static BodyArea find(List<BodyArea> areas, String path) {
        for (var area : areas) {
            if (area.matches(path)) return area;
        }
        throw new IllegalArgumentException("no body area for " + path + "; the last area must match every path");
    }

    /** The sentence a 413 says. */
    String tooLarge(long given) {
        return "a request body for the " + name + " area may be at most " + limit + " bytes"
                + (given >= 0 ? "; this one is " + given + " bytes" : "; this one is longer")
                + (hint.isEmpty() ? "" : " (limit: " + hint + ")");
    }
}

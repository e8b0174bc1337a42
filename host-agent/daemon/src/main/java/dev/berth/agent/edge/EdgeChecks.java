package dev.berth.agent.edge;

import dev.berth.agent.protocol.AcmeChallenge;
import dev.berth.agent.protocol.EdgeAssignment;
import dev.berth.agent.protocol.EdgeCertificate;
import dev.berth.agent.protocol.EdgeRoute;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.regex.Pattern;

/**
 * The agent checks again what the platform sends before any of it reaches Caddy's configuration:
 * host names by DNS rules, route paths, upstream {@code address:port}, ACME tokens and key
 * authorizations. A bad entry is left out with a reason (a bad upstream leaves its route with the
 * others), never written into the configuration, where it could change what Caddy does.
 */
public final class EdgeChecks {
    static final int MAX_PATH = 1024;
    private static final Pattern LABEL = Pattern.compile("[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?");
    // No '*' (a Caddy wildcard), no braces (Caddy placeholders), no '?' or '#'; '%' only as an escape.
    private static final Pattern PATH = Pattern.compile("(/([A-Za-z0-9._~!$&'()+,;=:@-]|%[0-9A-Fa-f]{2})+)+|/");
    private static final Pattern APP = Pattern.compile("[A-Za-z0-9._-]{1,100}(/[A-Za-z0-9._-]{1,100})?");
    private static final Pattern TOKEN = Pattern.compile("[A-Za-z0-9_-]{1,255}");
    private static final Pattern KEY_AUTHORIZATION = Pattern.compile("[A-Za-z0-9_-]{1,255}\\.[A-Za-z0-9_-]{1,255}");

    private EdgeChecks() {
    }

    /** What is left of an edge assignment after the checks, and why the rest was left out. */
    public record Checked(List<EdgeRoute> routes, List<EdgeCertificate> certificates, List<AcmeChallenge> challenges,
                          List<String> refusals) {
        public Checked {
            routes = List.copyOf(routes);
            certificates = List.copyOf(certificates);
            challenges = List.copyOf(challenges);
            refusals = List.copyOf(refusals);
        }
    }

    public static Checked check(EdgeAssignment edge) {
        var refusals = new ArrayList<String>();
        var routes = new ArrayList<EdgeRoute>();
        var seen = new HashSet<String>();
        for (EdgeRoute route : edge.routes()) {
            String where = "route " + route.host() + route.path() + " of " + route.app();
            String problem = hostProblem(route.host());
            if (problem == null) problem = pathProblem(route.path());
            if (problem == null && (route.app() == null || !APP.matcher(route.app()).matches())) problem = "the app name is not team/app";
            if (problem == null && !seen.add(route.host() + " " + route.path())) problem = "the host and path are routed twice";
            if (problem != null) {
                refusals.add(where + " is left out: " + problem);
                continue;
            }
            var upstreams = new ArrayList<String>();
            for (String upstream : route.upstreams()) {
                String bad = UpstreamAddress.problem(upstream);
                if (bad == null) upstreams.add(upstream);
                else refusals.add(where + ": the upstream '" + upstream + "' is left out: it " + bad);
            }
            routes.add(new EdgeRoute(route.host(), route.path(), route.app(), upstreams));
        }
        var certificates = new ArrayList<EdgeCertificate>();
        var certified = new HashSet<String>();
        for (EdgeCertificate certificate : edge.certificates()) {
            String problem = hostProblem(certificate.host());
            if (problem == null && (certificate.chainPem() == null || certificate.key() == null)) problem = "the chain or key is missing";
            if (problem == null && !certified.add(certificate.host())) problem = "the host has two certificates";
            if (problem != null) refusals.add("the certificate for " + certificate.host() + " is left out: " + problem);
            else certificates.add(certificate);
        }
        var challenges = new ArrayList<AcmeChallenge>();
        for (AcmeChallenge challenge : edge.challenges()) {
            String problem = hostProblem(challenge.host());
            if (problem == null && (challenge.token() == null || !TOKEN.matcher(challenge.token()).matches())) {
                problem = "the token is not 1 to 255 of A-Z a-z 0-9 _ -";
            }
            if (problem == null && (challenge.keyAuthorization() == null
                    || !KEY_AUTHORIZATION.matcher(challenge.keyAuthorization()).matches()
                    || !challenge.keyAuthorization().startsWith(challenge.token() + "."))) {
                problem = "the key authorization is not TOKEN.THUMBPRINT";
            }
            if (problem != null) refusals.add("the ACME challenge for " + challenge.host() + " is left out: " + problem);
            else challenges.add(challenge);
        }
        return new Checked(routes, certificates, challenges, refusals);
    }

    /** Why {@code host} is not a lower-case DNS name of two labels or more (no address, port, wildcard or trailing dot), or null. */
    static String hostProblem(String host) {
        if (host == null || host.isEmpty()) return "the host name is empty";
        if (host.length() > 253) return "the host name is longer than 253 characters";
        String[] labels = host.split("\\.", -1);
        if (labels.length < 2) return "the host name has fewer than two labels";
        for (String label : labels) {
            if (!LABEL.matcher(label).matches()) return "the host name is not a lower-case DNS name";
        }
        if (labels[labels.length - 1].chars().allMatch(Character::isDigit)) return "the host name ends in an all-digit label";
        return null;
    }

    /** Why {@code path} is not {@code /} or a prefix of whole segments without a trailing {@code /}, or null. */
    static String pathProblem(String path) {
        if (path == null || path.isEmpty()) return "the path is empty";
        if (path.length() > MAX_PATH) return "the path is longer than " + MAX_PATH + " characters";
        if (!PATH.matcher(path).matches()) {
            return "the path is not / or /segment/... of letters, digits, -._~!$&'()+,;=:@ and %XX escapes";
        }
        for (String segment : path.split("/")) {
            if (segment.equals(".") || segment.equals("..")) return "the path has a '.' or '..' segment";
        }
        return null;
    }
}

package dev.berth.gitsync.definition;

import java.util.Locale;
import java.util.regex.Pattern;

/** The host and path syntax of a route; each check returns why the text is wrong, or null. */
final class RouteText {
    static final int MAX_HOST = 253;
    static final int MAX_PATH = 1024;
    private static final Pattern LABEL = Pattern.compile("[a-z0-9](?:[a-z0-9-]*[a-z0-9])?");
    private static final Pattern HOST_AND_PORT = Pattern.compile("(.*[^:]):([0-9]*)");
    private static final Pattern ENCODED_SLASH_OR_DOT = Pattern.compile("%2[eEfF]");

    private RouteText() {
    }

    static String hostProblem(String host) {
        if (host.isEmpty()) return "is empty; write a host name such as shop.example.com";
        if (host.startsWith("[") || IpLiteral.parse(host) != null) {
            return "is an IP address; a route needs a host name such as shop.example.com";
        }
        var withPort = HOST_AND_PORT.matcher(host);
        if (withPort.matches()) {
            return "has a port; the edge serves ports 80 and 443 only, so write the host alone: "
                    + YamlReader.clip(withPort.group(1));
        }
        if (host.contains("*")) {
            return "is a wildcard; wildcards (*.) belong to a team's domains, not to routes: name each host";
        }
        String lower = host.toLowerCase(Locale.ROOT);
        if (!lower.equals(host)) return "must be written in lower case: " + YamlReader.clip(lower);
        if (host.endsWith(".")) {
            return "ends with a dot; write it without: " + YamlReader.clip(host.substring(0, host.length() - 1));
        }
        if (host.equals("localhost") || host.endsWith(".localhost")) {
            return "is localhost, which names the machine itself; a route needs a public host name";
        }
        if (host.length() > MAX_HOST) return "has " + host.length() + " characters; a host name has at most " + MAX_HOST;
        String[] labels = host.split("\\.", -1);
        if (labels.length < 2) return "needs at least two labels, such as shop.example.com";
        for (String label : labels) {
            if (label.isEmpty()) return "has an empty label (two dots in a row, or a leading dot)";
            if (label.length() > 63) return "has a label of " + label.length() + " characters; a label has at most 63";
            if (!LABEL.matcher(label).matches()) {
                return "has the label '" + YamlReader.clip(label) + "'; labels are letters, digits and '-', not first or last";
            }
        }
        if (labels[labels.length - 1].chars().allMatch(c -> c >= '0' && c <= '9')) {
            return "ends in an all-digit label; no top-level domain is a number";
        }
        return null;
    }

    static String pathProblem(String path) {
        if (!path.startsWith("/")) return "must start with '/'";
        if (path.length() > MAX_PATH) return "has " + path.length() + " characters; at most " + MAX_PATH;
        if (path.chars().anyMatch(c -> c <= 0x20 || c >= 0x7F)) {
            return "must be printable ASCII without spaces; percent-encode other characters";
        }
        if (path.contains("?") || path.contains("#")) {
            return "must not contain '?' or '#': a route matches the path, not the query or fragment";
        }
        if (path.contains("//")) return "must not contain '//'";
        for (String segment : path.split("/", -1)) {
            if (segment.equals(".") || segment.equals("..")) return "must not have a '.' or '..' segment";
        }
        if (ENCODED_SLASH_OR_DOT.matcher(path).find()) {
            return "must not percent-encode '/' or '.' (%2F, %2E); write them as they are";
        }
        return null;
    }

    /** {@code /api/} and {@code /api} are the same route: a prefix matches whole segments. */
    static String normalPath(String path) {
        return path.length() > 1 && path.endsWith("/") ? path.substring(0, path.length() - 1) : path;
    }
}

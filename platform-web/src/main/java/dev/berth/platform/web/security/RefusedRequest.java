package dev.berth.platform.web.security;

import java.util.Locale;
import java.util.Set;

/**
 * What in a request Spring Security's firewall refused, said in a short fixed phrase so that the
 * problem document tells the caller what to fix without echoing the hostile request back. Pure:
 * decided from the method and the raw (undecoded) request URI alone.
 */
final class RefusedRequest {
    private static final Set<String> METHODS = Set.of("GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS", "TRACE");
    static final String CANONICAL = "send the path in its canonical form: no '//', ';', '.' or '..' segments, "
            + "and no encoded '.', '/', '\\' or '%'";

    private RefusedRequest() {
    }

    /** The problem's detail for a refused request. */
    static String detail(String method, String rawUri) {
        if (method == null || !METHODS.contains(method)) return "the request was refused: its method is not one the platform accepts";
        String what = pathFault(rawUri == null ? "" : rawUri.toLowerCase(Locale.ROOT));
        if (what == null) {
            return "the request was refused: a header, parameter or host name holds characters the platform does not accept";
        }
        return "the request was refused: its path contains " + what + "; " + CANONICAL;
    }

    /** The first thing wrong with the path, or null when the firewall refused something else. */
    private static String pathFault(String path) {
        if (path.chars().anyMatch(c -> c < 0x21 || c > 0x7e)) return "a control, space or non-ASCII character";
        if (path.contains(";") || path.contains("%3b")) return "a ';' (a path parameter)";
        if (path.contains("%2f")) return "an encoded '/' (%2F)";
        if (path.contains("\\") || path.contains("%5c")) return "a backslash";
        if (path.contains("%2e")) return "an encoded '.' (%2E)";
        if (path.contains("%25")) return "an encoded '%' (%25)";
        if (path.contains("%00") || path.matches(".*%[01][0-9a-f].*|.*%7f.*")) return "an encoded control character";
        if (path.contains("//")) return "an empty segment ('//')";
        for (String segment : path.split("/", -1)) {
            if (segment.equals(".") || segment.equals("..")) return "a '.' or '..' segment";
        }
        return null;
    }
}

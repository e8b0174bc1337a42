package dev.berth.registry.network;

import java.util.Locale;

/** What a host name says about itself before anything resolves it. */
final class HostName {
    private HostName() {
    }

    /** Four decimal parts 0-255 without leading zeros: the one IPv4 spelling every resolver reads alike. */
    static boolean isDottedQuad(String s) {
        String[] parts = s.split("\\.", -1);
        if (parts.length != 4) return false;
        for (String p : parts) {
            if (p.isEmpty() || p.length() > 3 || !p.chars().allMatch(c -> c >= '0' && c <= '9')) return false;
            if (p.length() > 1 && p.charAt(0) == '0') return false;
            if (Integer.parseInt(p) > 255) return false;
        }
        return true;
    }

    /**
     * A name made of numbers that is not a dotted quad ({@code 2130706433}, {@code 0177.0.0.1},
     * {@code 0x7f.1}, {@code 127.1}): resolvers disagree on what it means (inet_aton reads octal and
     * hex, others do not), so it is refused instead of guessed.
     */
    static boolean isNumericLooking(String host) {
        String s = trimDot(host).toLowerCase(Locale.ROOT);
        if (s.isEmpty() || isDottedQuad(s)) return false;
        for (String part : s.split("\\.", -1)) {
            if (!part.matches("[0-9]+|0x[0-9a-f]*")) return false;
        }
        return true;
    }

    /** {@code localhost} and its subdomains always mean this machine (RFC 6761), whatever DNS says. */
    static boolean isLocalhostName(String host) {
        String s = trimDot(host).toLowerCase(Locale.ROOT);
        return s.equals("localhost") || s.endsWith(".localhost") || s.equals("localhost.localdomain")
                || s.equals("ip6-localhost") || s.equals("ip6-loopback");
    }

    private static String trimDot(String host) {
        return host.endsWith(".") ? host.substring(0, host.length() - 1) : host;
    }
}

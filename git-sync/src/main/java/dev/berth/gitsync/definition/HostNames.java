package dev.berth.gitsync.definition;

/** The host name rules routes follow, for others (the platform's team domains) to apply the same way. */
public final class HostNames {
    private HostNames() {
    }

    /**
     * Why {@code host} is not a host name a route may name (lower case DNS name, two labels or more,
     * no IP address, port, wildcard or trailing dot), or null when it is one.
     */
    public static String problem(String host) {
        return RouteText.hostProblem(host);
    }
}

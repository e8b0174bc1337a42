package dev.berth.agent.edge;

import java.util.regex.Pattern;

/** The {@code address:port} syntax of an upstream and of a listen address, checked before Caddy sees it. */
final class UpstreamAddress {
    private static final Pattern IPV4 = Pattern.compile("(25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9]?[0-9])(\\.(25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9]?[0-9])){3}");
    private static final Pattern IPV6 = Pattern.compile("[0-9a-fA-F:.]{2,45}");
    private static final Pattern NAME = Pattern.compile("[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?(?:\\.[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?)*");
    private static final Pattern PORT = Pattern.compile("[1-9][0-9]{0,4}");

    private UpstreamAddress() {
    }

    /** An IPv4 literal, or an IPv6 literal with or without brackets. */
    static boolean isIpLiteral(String host) {
        if (IPV4.matcher(host).matches()) return true;
        String inner = host.startsWith("[") && host.endsWith("]") ? host.substring(1, host.length() - 1) : host;
        return inner.contains(":") && IPV6.matcher(inner).matches();
    }

    /** Why {@code upstream} is not {@code host:port} (an IP literal, [IPv6] or a DNS name; a port 1-65535), or null. */
    static String problem(String upstream) {
        if (upstream == null || upstream.isEmpty()) return "is empty";
        if (upstream.length() > 300) return "is longer than 300 characters";
        int colon = upstream.lastIndexOf(':');
        if (colon <= 0) return "has no port; write address:port";
        String host = upstream.substring(0, colon);
        String port = upstream.substring(colon + 1);
        if (!PORT.matcher(port).matches() || Integer.parseInt(port) > 65535) return "has the port '" + port + "'; a port is 1 to 65535";
        if (host.startsWith("[")) {
            return host.endsWith("]") && isIpLiteral(host) ? never(host.substring(1, host.length() - 1))
                    : "has the host '" + host + "', not an [IPv6] address";
        }
        if (host.contains(":")) return "has an IPv6 address without brackets; write [address]:port";
        if (IPV4.matcher(host).matches()) return never(host);
        if (NAME.matcher(host).matches() && host.length() <= 253) return null;
        return "has the host '" + host + "', neither an IPv4 address nor a lower-case DNS name";
    }

    /**
     * Why an upstream may never be at {@code literal}, or null: link-local addresses (cloud metadata
     * lives there), the unspecified address and multicast are no replica's published port.
     */
    private static String never(String literal) {
        java.net.InetAddress ip;
        try {
            ip = java.net.InetAddress.ofLiteral(literal);
        } catch (IllegalArgumentException e) {
            return "has the host '" + literal + "', not an IP address";
        }
        if (ip.isLinkLocalAddress()) return "is link-local (" + literal + "), where no published port is";
        if (ip.isAnyLocalAddress()) return "is the unspecified address " + literal + ", not a host to connect to";
        if (ip.isMulticastAddress()) return "is a multicast address (" + literal + ")";
        return null;
    }
}

package dev.berth.platform.hosts;

import java.util.regex.Pattern;

/**
 * Checks the {@code host:port} an agent reports for its peer listener: a DNS name, an IPv4
 * address or a bracketed IPv6 address, and a port from 1 to 65535. Pure.
 */
final class PeerAddress {
    static final int MAX = 300;
    private static final Pattern NAME = Pattern.compile(
            "(?i)[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?(\\.[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?)*");
    private static final Pattern IPV6 = Pattern.compile("(?i)[0-9a-f:.]{2,45}");

    private PeerAddress() {
    }

    /** The address as a log line may show it: control characters become '?'. */
    private static String shown(String address) {
        return address.codePoints().map(c -> Character.isISOControl(c) ? '?' : c)
                .collect(StringBuilder::new, StringBuilder::appendCodePoint, StringBuilder::append).toString();
    }

    /** Why {@code address} is not a peer address; null when it is one. */
    static String refusal(String address) {
        if (address.length() > MAX) return "is " + address.length() + " characters long; at most " + MAX + " are taken";
        int colon = address.lastIndexOf(':');
        if (colon <= 0) return "'" + shown(address) + "' is not host:port";
        String host = address.substring(0, colon);
        String port = address.substring(colon + 1);
        if (!port.matches("[0-9]{1,5}") || Integer.parseInt(port) < 1 || Integer.parseInt(port) > 65535) {
            return "'" + shown(address) + "' needs a port from 1 to 65535 after the last ':'";
        }
        boolean bracketed = host.startsWith("[") && host.endsWith("]");
        if (bracketed ? !IPV6.matcher(host.substring(1, host.length() - 1)).matches() || !host.contains(":")
                : !NAME.matcher(host).matches()) {
            return "'" + shown(address) + "' needs a host name, an IPv4 address or a bracketed IPv6 address before the port";
        }
        return null;
    }
}

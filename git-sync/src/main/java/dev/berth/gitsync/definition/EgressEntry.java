package dev.berth.gitsync.definition;

import java.util.Arrays;
import java.util.List;
import java.util.regex.Pattern;

/**
 * One {@code egressTo} entry, {@code CIDR[:port]}: an IPv4 range ({@code 10.20.0.5/32:5432}), or an
 * IPv6 range, in brackets when a port follows ({@code [fd00::/64]:443}, {@code fd00::/64}). Only IP
 * literals ({@link IpLiteral}): a host name is refused, never looked up.
 */
final class EgressEntry {
    private static final Pattern HOST_NAME = Pattern.compile("(?=.*[A-Za-z])[A-Za-z0-9_.-]+");
    private static final Pattern DIGITS = Pattern.compile("[0-9]{1,5}");
    private static final String FORM = "write CIDR[:port], such as 10.20.0.0/16, 10.20.0.5/32:5432 or [fd00::/64]:443";

    private static final String UNSPECIFIED = "no packet is ever sent there";
    private static final String LOOPBACK = "loopback never leaves the container; reach the team's other apps with connects";
    private static final String MULTICAST = "apps cannot send to multicast groups";
    /** Ranges no entry may be or include, each with the reason given to the writer. */
    private static final List<Special> SPECIAL = List.of(
            new Special(IpLiteral.parse("0.0.0.0"), 8, "unspecified", UNSPECIFIED),
            new Special(IpLiteral.parse("127.0.0.0"), 8, "loopback", LOOPBACK),
            new Special(IpLiteral.parse("224.0.0.0"), 4, "multicast", MULTICAST),
            new Special(IpLiteral.parse("::"), 128, "unspecified", UNSPECIFIED),
            new Special(IpLiteral.parse("::1"), 128, "loopback", LOOPBACK),
            new Special(IpLiteral.parse("ff00::"), 8, "multicast", MULTICAST));

    private record Special(byte[] network, int prefix, String kind, String why) {
    }

    /** What {@link #parse} found. */
    sealed interface Outcome {
    }

    /** A valid entry: {@code cidr} in canonical form, {@code port} 0 for every port. */
    record Parsed(String cidr, int port) implements Outcome {
    }

    /** Why the entry is refused, as the end of a sentence that starts with the entry. */
    record Wrong(String reason) implements Outcome {
    }

    private EgressEntry() {
    }

    static Outcome parse(String text) {
        String range = text;
        String port = null;
        boolean bracketed = text.startsWith("[");
        if (bracketed) {
            int close = text.indexOf(']');
            String after = close < 0 ? null : text.substring(close + 1);
            if (after == null || !(after.isEmpty() || after.startsWith(":"))) return new Wrong("is not an IP range; " + FORM);
            range = text.substring(1, close);
            port = after.isEmpty() ? null : after.substring(1);
        } else if (text.indexOf(':') >= 0 && text.indexOf(':') == text.lastIndexOf(':')) {
            // One colon: an IPv4 range (or a name) with a port; every IPv6 literal has at least two.
            range = text.substring(0, text.indexOf(':'));
            port = text.substring(text.indexOf(':') + 1);
        }
        int slash = range.indexOf('/');
        String address = slash < 0 ? range : range.substring(0, slash);
        String prefixText = slash < 0 ? null : range.substring(slash + 1);
        byte[] bytes = IpLiteral.parse(address);
        boolean v4 = bytes != null && bytes.length == 4;
        if (bytes == null && !IpLiteral.looksLikeIpv6(address)) {
            return new Wrong(HOST_NAME.matcher(address).matches()
                    ? "is a host name; egressTo takes IP ranges such as 10.20.0.0/16, and names are not looked up"
                    : "is not an IP range; " + FORM);
        }
        if (v4 && bracketed) return new Wrong("puts an IPv4 range in brackets; brackets are for IPv6 only");
        if (!v4 && !bracketed && prefixText != null && prefixText.contains(":")) {
            String unbracketed = prefixText.substring(0, prefixText.indexOf(':'));
            return new Wrong("has a port after an IPv6 range; put the range in brackets: ["
                    + address + "/" + unbracketed + "]" + prefixText.substring(prefixText.indexOf(':')));
        }
        if (bytes == null) return new Wrong("is not an IP range; " + FORM);
        if (IpLiteral.isIpv4Mapped(bytes)) {
            return new Wrong("is an IPv4-mapped IPv6 address; write the IPv4 range itself, such as "
                    + IpLiteral.format(Arrays.copyOfRange(bytes, 12, 16)) + "/32");
        }
        int bits = bytes.length * 8;
        Integer portNumber = port == null ? Integer.valueOf(0) : port(port);
        if (prefixText == null) {
            String single = IpLiteral.format(bytes) + "/" + bits;
            return new Wrong("has no prefix length; for this one address write "
                    + withPort(single, v4, port));
        }
        if (!DIGITS.matcher(prefixText).matches() || Integer.parseInt(prefixText) > bits) {
            return new Wrong("has the prefix length /" + YamlReader.clip(prefixText) + "; "
                    + (v4 ? "IPv4" : "IPv6") + " prefix lengths are 0 to " + bits);
        }
        int prefix = Integer.parseInt(prefixText);
        byte[] network = masked(bytes, prefix);
        String cidr = IpLiteral.format(network) + "/" + prefix;
        if (!Arrays.equals(network, bytes)) {
            return new Wrong("has bits set outside its /" + prefix + "; did you mean " + cidr + "?");
        }
        if (portNumber == null) {
            return new Wrong((port.isEmpty() ? "has no port after ':'" : "has the port " + YamlReader.clip(port))
                    + "; a port is a number from 1 to 65535, or left out for every port");
        }
        for (Special s : SPECIAL) {
            if (s.network.length != bytes.length || !overlaps(network, prefix, s.network, s.prefix)) continue;
            String special = IpLiteral.format(s.network) + "/" + s.prefix;
            return prefix >= s.prefix
                    ? new Wrong("is in the " + s.kind + " range " + special + ": " + s.why)
                    : new Wrong("includes the " + s.kind + " range " + special + " (" + s.why
                            + "); list only the ranges the app needs, and use egress: public for the internet");
        }
        return new Parsed(cidr, portNumber);
    }

    /** The entry as it would be written: IPv6 in brackets when a port follows. */
    private static String withPort(String cidr, boolean v4, String port) {
        if (port == null) return cidr;
        return (v4 ? cidr : "[" + cidr + "]") + ":" + port;
    }

    private static Integer port(String text) {
        if (!DIGITS.matcher(text).matches()) return null;
        int n = Integer.parseInt(text);
        return n >= 1 && n <= 65535 ? n : null;
    }

    private static byte[] masked(byte[] address, int prefix) {
        byte[] out = address.clone();
        for (int i = 0; i < out.length; i++) {
            int keep = Math.clamp(prefix - i * 8L, 0, 8);
            out[i] = (byte) (out[i] & (0xff00 >> keep));
        }
        return out;
    }

    private static boolean overlaps(byte[] a, int aPrefix, byte[] b, int bPrefix) {
        int common = Math.min(aPrefix, bPrefix);
        return Arrays.equals(masked(a, common), masked(b, common));
    }
}

package dev.berth.gitsync.definition;

import java.util.Arrays;
import java.util.regex.Pattern;

/**
 * IP address literals, read and written without {@code java.net}: the parser stays pure, and no
 * text can ever turn into a name lookup.
 */
final class IpLiteral {
    private static final String OCTET = "(?:25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9]?[0-9])";
    /** Dotted decimal only: no leading zeros (octal to some readers), no shortened forms such as 10.1. */
    private static final Pattern IPV4 = Pattern.compile(OCTET + "(?:\\." + OCTET + "){3}");
    private static final Pattern IPV6_TEXT = Pattern.compile("[0-9A-Fa-f:.]*:[0-9A-Fa-f:.]*");
    private static final Pattern GROUP = Pattern.compile("[0-9A-Fa-f]{1,4}");

    private IpLiteral() {
    }

    /** True for text made of what IPv6 literals are made of, valid or not. */
    static boolean looksLikeIpv6(String text) {
        return IPV6_TEXT.matcher(text).matches();
    }

    /** The 4 or 16 bytes of a dotted-decimal IPv4 or an IPv6 literal (RFC 4291 text forms), or null. */
    static byte[] parse(String text) {
        if (IPV4.matcher(text).matches()) {
            String[] octets = text.split("\\.");
            byte[] out = new byte[4];
            for (int i = 0; i < 4; i++) out[i] = (byte) Integer.parseInt(octets[i]);
            return out;
        }
        return looksLikeIpv6(text) ? ipv6(text) : null;
    }

    private static byte[] ipv6(String text) {
        int gap = text.indexOf("::");
        if (gap >= 0 && text.indexOf("::", gap + 1) >= 0) return null;
        int[] head = groups(gap < 0 ? text : text.substring(0, gap), gap < 0);
        int[] tail = gap < 0 ? new int[0] : groups(text.substring(gap + 2), true);
        if (head == null || tail == null) return null;
        int given = head.length + tail.length;
        if (gap < 0 ? given != 8 : given > 7) return null;
        byte[] out = new byte[16];
        for (int i = 0; i < head.length; i++) put(out, i, head[i]);
        for (int i = 0; i < tail.length; i++) put(out, 8 - tail.length + i, tail[i]);
        return out;
    }

    /** The 16-bit groups of one side of {@code ::}; a dotted IPv4 may end the address and counts as two. */
    private static int[] groups(String part, boolean mayEndInIpv4) {
        if (part.isEmpty()) return new int[0];
        String[] fields = part.split(":", -1);
        if (fields.length > 8) return null;
        int[] out = new int[fields.length + 1];
        int n = 0;
        for (int i = 0; i < fields.length; i++) {
            String f = fields[i];
            if (i == fields.length - 1 && mayEndInIpv4 && f.contains(".")) {
                if (!IPV4.matcher(f).matches()) return null;
                byte[] v4 = parse(f);
                out[n++] = (v4[0] & 0xff) << 8 | (v4[1] & 0xff);
                out[n++] = (v4[2] & 0xff) << 8 | (v4[3] & 0xff);
            } else if (GROUP.matcher(f).matches()) {
                out[n++] = Integer.parseInt(f, 16);
            } else {
                return null;
            }
        }
        return Arrays.copyOf(out, n);
    }

    private static void put(byte[] address, int group, int value) {
        address[2 * group] = (byte) (value >> 8);
        address[2 * group + 1] = (byte) value;
    }

    /** True for {@code ::ffff:a.b.c.d}, an IPv4 address in IPv6 clothing. */
    static boolean isIpv4Mapped(byte[] address) {
        if (address.length != 16 || (address[10] & address[11] & 0xff) != 0xff) return false;
        for (int i = 0; i < 10; i++) if (address[i] != 0) return false;
        return true;
    }

    /** Dotted decimal, or IPv6 as RFC 5952 writes it: lower case, no leading zeros, the longest zero run as {@code ::}. */
    static String format(byte[] address) {
        if (address.length == 4) {
            return (address[0] & 0xff) + "." + (address[1] & 0xff) + "." + (address[2] & 0xff) + "." + (address[3] & 0xff);
        }
        int[] groups = new int[8];
        for (int i = 0; i < 8; i++) groups[i] = (address[2 * i] & 0xff) << 8 | (address[2 * i + 1] & 0xff);
        int bestStart = -1;
        int bestLength = 1; // a single zero group is not shortened
        for (int i = 0; i < 8; ) {
            int j = i;
            while (j < 8 && groups[j] == 0) j++;
            if (j - i > bestLength) {
                bestStart = i;
                bestLength = j - i;
            }
            i = j == i ? i + 1 : j;
        }
        var out = new StringBuilder();
        for (int i = 0; i < 8; i++) {
            if (i == bestStart) {
                out.append("::");
                i += bestLength - 1;
                continue;
            }
            if (!out.isEmpty() && out.charAt(out.length() - 1) != ':') out.append(':');
            out.append(Integer.toHexString(groups[i]));
        }
        return out.toString();
    }
}

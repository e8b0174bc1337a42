package dev.berth.registry.network;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Arrays;

/**
 * An address range such as {@code 10.1.0.0/16} or {@code fd00::/8}; a single address is its own
 * /32 or /128. IPv4 ranges match IPv4-mapped IPv6 addresses too.
 */
public record Cidr(byte[] network, int prefix) {

    public Cidr {
        network = network.clone();
        if (network.length != 4 && network.length != 16) throw new IllegalArgumentException("not an IP address");
        if (prefix < 0 || prefix > network.length * 8) throw new IllegalArgumentException("prefix /" + prefix + " is out of range");
    }

    /**
     * Parses {@code ADDRESS} or {@code ADDRESS/PREFIX} written as IP literals (no names, nothing
     * that needs a resolver).
     *
     * @throws IllegalArgumentException saying what is wrong
     */
    public static Cidr parse(String text) {
        String s = text.strip();
        int slash = s.indexOf('/');
        String address = slash < 0 ? s : s.substring(0, slash);
        byte[] bytes = literal(address);
        if (bytes == null) throw new IllegalArgumentException("'" + text + "' is not an IP address or range");
        int prefix = bytes.length * 8;
        if (slash >= 0) {
            try {
                prefix = Integer.parseInt(s.substring(slash + 1));
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("'" + text + "' has no valid prefix length");
            }
        }
        return new Cidr(bytes, prefix);
    }

    /** The bytes of an IPv4 dotted-quad or IPv6 literal, or null when {@code text} is not one. */
    static byte[] literal(String text) {
        String s = text.startsWith("[") && text.endsWith("]") ? text.substring(1, text.length() - 1) : text;
        if (s.contains(":")) {
            if (!s.matches("[0-9A-Fa-f:.]+")) return null;
        } else if (!HostName.isDottedQuad(s)) {
            return null;
        }
        try {
            // A literal: InetAddress parses it without asking any resolver.
            return InetAddress.getByName(s).getAddress();
        } catch (UnknownHostException e) {
            return null;
        }
    }

    /** Whether {@code address} lies in this range. */
    public boolean contains(InetAddress address) {
        byte[] a = address.getAddress();
        if (a.length != network.length) {
            byte[] v4 = Addresses.embeddedIpv4(a);
            if (v4 == null || network.length != 4) return false;
            a = v4;
        }
        return matches(a);
    }

    /** Whether every address of {@code range} lies in this range (same family only). */
    public boolean contains(Cidr range) {
        return range.network.length == network.length && range.prefix >= prefix && matches(range.network);
    }

    /** This range with the bits past the prefix cleared: {@code 10.1.2.3/16} becomes {@code 10.1.0.0/16}. */
    public Cidr withoutHostBits() {
        byte[] masked = network.clone();
        for (int bit = prefix; bit < masked.length * 8; bit++) masked[bit / 8] &= (byte) ~(0x80 >>> (bit % 8));
        return new Cidr(masked, prefix);
    }

    private boolean matches(byte[] a) {
        int full = prefix / 8;
        for (int i = 0; i < full; i++) if (a[i] != network[i]) return false;
        int rest = prefix % 8;
        if (rest == 0) return true;
        int mask = (0xff << (8 - rest)) & 0xff;
        return (a[full] & mask) == (network[full] & mask);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Cidr c && c.prefix == prefix && Arrays.equals(c.network, network);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(network) * 31 + prefix;
    }

    @Override
    public String toString() {
        try {
            return InetAddress.getByAddress(network).getHostAddress() + "/" + prefix;
        } catch (UnknownHostException e) {
            throw new IllegalStateException(e);
        }
    }
}

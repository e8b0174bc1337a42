package dev.berth.registry.network;

import java.net.InetAddress;
import java.util.ArrayList;
import java.util.List;

/** Classifies addresses by the range they fall in; pure, no resolver involved. */
public final class Addresses {
    private record Range(Cidr cidr, AddressClass kind) {
    }

    // Most specific first: the first match decides.
    private static final List<Range> RANGES = List.of(
            range("255.255.255.255/32", AddressClass.MULTICAST),
            range("0.0.0.0/8", AddressClass.UNSPECIFIED),
            range("127.0.0.0/8", AddressClass.LOOPBACK),
            range("10.0.0.0/8", AddressClass.PRIVATE),
            range("172.16.0.0/12", AddressClass.PRIVATE),
            range("192.168.0.0/16", AddressClass.PRIVATE),
            range("169.254.0.0/16", AddressClass.LINK_LOCAL),
            range("100.64.0.0/10", AddressClass.SHARED),
            range("224.0.0.0/4", AddressClass.MULTICAST),
            range("240.0.0.0/4", AddressClass.RESERVED),
            range("192.0.0.0/24", AddressClass.RESERVED),
            range("198.18.0.0/15", AddressClass.RESERVED),
            range("::/128", AddressClass.UNSPECIFIED),
            range("::1/128", AddressClass.LOOPBACK),
            range("fc00::/7", AddressClass.PRIVATE),
            range("fe80::/10", AddressClass.LINK_LOCAL),
            range("fec0::/10", AddressClass.PRIVATE), // deprecated site-local
            range("ff00::/8", AddressClass.MULTICAST),
            range("2001:db8::/32", AddressClass.RESERVED),
            range("100::/64", AddressClass.RESERVED));

    private Addresses() {
    }

    private static Range range(String cidr, AddressClass kind) {
        return new Range(Cidr.parse(cidr), kind);
    }

    /**
     * The class of {@code address}. An IPv6 address that carries an IPv4 address (IPv4-mapped
     * {@code ::ffff:a.b.c.d}, IPv4-compatible {@code ::a.b.c.d}, NAT64 {@code 64:ff9b::/96},
     * 6to4 {@code 2002::/16}) is classed by the IPv4 address it reaches.
     */
    public static AddressClass classify(InetAddress address) {
        byte[] bytes = address.getAddress();
        byte[] v4 = bytes.length == 16 ? embeddedIpv4(bytes) : null;
        if (v4 != null) {
            try {
                return classify(InetAddress.getByAddress(v4));
            } catch (java.net.UnknownHostException e) {
                throw new IllegalStateException(e);
            }
        }
        for (Range r : RANGES) if (r.cidr().contains(address)) return r.kind();
        return AddressClass.PUBLIC;
    }

    /**
     * Every range {@link #classify} does not class as public, for a firewall that must refuse the
     * same addresses: the ranges above and, for each IPv4 one, the IPv6 forms that carry it
     * (mapped, compatible, NAT64, 6to4). Ranges may nest.
     */
    public static List<Cidr> nonPublicRanges() {
        var out = new ArrayList<Cidr>();
        for (Range r : RANGES) {
            out.add(r.cidr());
            byte[] v4 = r.cidr().network();
            if (v4.length != 4) continue;
            int p = r.cidr().prefix();
            out.add(new Cidr(carrying(new byte[] {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, (byte) 0xff, (byte) 0xff}, v4), 96 + p));
            out.add(new Cidr(carrying(new byte[12], v4), 96 + p));
            out.add(new Cidr(carrying(new byte[] {0, 0x64, (byte) 0xff, (byte) 0x9b, 0, 0, 0, 0, 0, 0, 0, 0}, v4), 96 + p));
            byte[] sixToFour = new byte[16];
            sixToFour[0] = 0x20;
            sixToFour[1] = 0x02;
            System.arraycopy(v4, 0, sixToFour, 2, 4);
            out.add(new Cidr(sixToFour, 16 + p));
        }
        return List.copyOf(out);
    }

    private static byte[] carrying(byte[] head, byte[] v4) {
        byte[] a = new byte[16];
        System.arraycopy(head, 0, a, 0, 12);
        System.arraycopy(v4, 0, a, 12, 4);
        return a;
    }

    /** The IPv4 address an IPv6 address leads to, or null when it carries none. */
    static byte[] embeddedIpv4(byte[] a) {
        if (a.length != 16) return null;
        boolean zero80 = true;
        for (int i = 0; i < 10; i++) zero80 &= a[i] == 0;
        // ::ffff:a.b.c.d (mapped) and ::a.b.c.d (compatible; :: and ::1 themselves are not IPv4)
        if (zero80 && ((a[10] == (byte) 0xff && a[11] == (byte) 0xff) || (a[10] == 0 && a[11] == 0 && !lowOnly(a)))) {
            return slice(a, 12);
        }
        // 64:ff9b::/96, the well-known NAT64 prefix
        if (a[0] == 0 && a[1] == 0x64 && a[2] == (byte) 0xff && a[3] == (byte) 0x9b) {
            boolean zeros = true;
            for (int i = 4; i < 12; i++) zeros &= a[i] == 0;
            if (zeros) return slice(a, 12);
        }
        // 2002:a.b.c.d::/48, 6to4
        if (a[0] == 0x20 && a[1] == 0x02) return slice(a, 2);
        return null;
    }

    private static boolean lowOnly(byte[] a) {
        return a[12] == 0 && a[13] == 0 && a[14] == 0 && (a[15] == 0 || a[15] == 1);
    }

    private static byte[] slice(byte[] a, int from) {
        return new byte[] {a[from], a[from + 1], a[from + 2], a[from + 3]};
    }
}

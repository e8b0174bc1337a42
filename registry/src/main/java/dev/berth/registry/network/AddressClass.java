package dev.berth.registry.network;

/** What kind of network an address belongs to, as far as reaching it from a server is concerned. */
public enum AddressClass {
    /** Routed on the internet; the only class reached without an administrator's say-so. */
    PUBLIC("a public"),
    /** 127.0.0.0/8, ::1 and names like {@code localhost}. */
    LOOPBACK("a loopback"),
    /** RFC 1918 (10/8, 172.16/12, 192.168/16) and IPv6 unique local addresses (fc00::/7). */
    PRIVATE("a private"),
    /** 169.254/16 (where cloud metadata services live) and fe80::/10. */
    LINK_LOCAL("a link-local"),
    /** 100.64/10, carrier-grade NAT (RFC 6598): a provider's internal network. */
    SHARED("a carrier-grade NAT (100.64.0.0/10)"),
    /** 0.0.0.0/8 and ::, which reach this machine on many systems. */
    UNSPECIFIED("an unspecified"),
    /** 224/4, ff00::/8 and 255.255.255.255. */
    MULTICAST("a multicast or broadcast"),
    /** Other ranges that are never a server on the internet: 240/4, 192.0.0/24, 198.18/15, 2001:db8::/32... */
    RESERVED("a reserved"),
    /** One of this machine's own addresses. */
    OWN("this platform's own");

    private final String phrase;

    AddressClass(String phrase) {
        this.phrase = phrase;
    }

    /** For messages: "a loopback", "a private", ... followed by "address". */
    public String phrase() {
        return phrase;
    }
}

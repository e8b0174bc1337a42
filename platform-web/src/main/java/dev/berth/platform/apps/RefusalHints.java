package dev.berth.platform.apps;

import dev.berth.registry.network.AddressClass;
import dev.berth.registry.network.Addresses;
import dev.berth.registry.network.Cidr;
import java.net.InetAddress;
import java.net.UnknownHostException;

/**
 * Why a destination was refused, told against what the app's current revision declares and what
 * its team may use: the next step for the team, or null when there is none to suggest. Pure.
 */
final class RefusalHints {
    static final String ADMIN_MUST_ALLOW = "not allowed: add it under egressTo (an admin must allow the range for the team)";
    static final String EGRESS_NONE = "egress is none: declare egress: public or list it under egressTo";
    static final String DNS_ONLY_RESOLVERS = "DNS goes only to the resolvers in its /etc/resolv.conf (it has them with egress: public"
            + " or any egressTo): to query this server, list it under egressTo with port 53";
    private static final int DNS_PORT = 53;

    private RefusalHints() {
    }

    /**
     * @param destination an IP address as agents report it
     * @param network what the app may reach now
     */
    static String hint(String destination, String protocol, int port, AppNetwork network) {
        InetAddress address = literal(destination);
        if (address == null) return null;
        boolean ported = protocol.equals("tcp") || protocol.equals("udp");
        var listed = network.egressTo().stream().filter(d -> inside(d.cidr(), address)).toList();
        // The firewall refuses DNS to anything but the resolvers before it looks at ranges open on every port.
        if (ported && port == DNS_PORT && listed.stream().noneMatch(d -> d.port() == DNS_PORT)) return DNS_ONLY_RESOLVERS;
        if (!listed.isEmpty()) {
            if (!ported) return "egressTo lets TCP and UDP through, not " + protocol;
            if (listed.stream().anyMatch(d -> d.port() == 0 || d.port() == port)) {
                return "egressTo allows it now: it was refused under an earlier revision";
            }
            return "egressTo allows " + listed.getFirst().cidr() + " only on port " + listed.getFirst().port()
                    + ": list port " + port + " too";
        }
        if (Addresses.classify(address) == AddressClass.PUBLIC) {
            if (network.egress().equals("public")) return "egress is public now: it was refused under an earlier revision";
            return EGRESS_NONE;
        }
        var allowed = network.allowedRanges().stream().filter(r -> inside(r, address)).findFirst();
        if (allowed.isPresent()) {
            return "not allowed: add it under egressTo (the team may use " + allowed.get() + ")";
        }
        return ADMIN_MUST_ALLOW;
    }

    private static boolean inside(String cidr, InetAddress address) {
        try {
            return Cidr.parse(cidr).contains(address);
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    /** The address of a literal; null for anything else (Cidr parses without asking a resolver). */
    private static InetAddress literal(String text) {
        try {
            Cidr single = Cidr.parse(text);
            return text.contains("/") ? null : InetAddress.getByAddress(single.network());
        } catch (IllegalArgumentException | UnknownHostException e) {
            return null;
        }
    }
}

package dev.berth.registry.network;

import java.net.InetAddress;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * Which addresses the platform may connect to on behalf of what a user wrote (registry hosts,
 * remote repository URLs): public addresses, and the private ones an administrator allowed by
 * range or by host name. Pure: the caller resolves, this decides.
 *
 * @param allowedRanges addresses in these ranges are reached whatever their class
 * @param allowedHosts  these names (lowercase) are reached whatever they resolve to
 * @param ownAddresses  this machine's addresses, refused like loopback unless allowed
 * @param setting       the setting that allows targets, named in refusals
 */
public record AddressPolicy(List<Cidr> allowedRanges, Set<String> allowedHosts, Set<InetAddress> ownAddresses,
                            String setting) {

    public AddressPolicy {
        allowedRanges = List.copyOf(allowedRanges);
        allowedHosts = Set.copyOf(allowedHosts);
        ownAddresses = Set.copyOf(ownAddresses);
    }

    /** Whether a connection may go ahead, and if not why. */
    public sealed interface Verdict permits Allowed, Refused {
    }

    public record Allowed() implements Verdict {
    }

    /** @param reason a sentence naming the host, the address and what to configure */
    public record Refused(String reason) implements Verdict {
    }

    /** Every address allowed: for callers whose targets an administrator typed in themselves. */
    public static AddressPolicy any() {
        return new AddressPolicy(List.of(Cidr.parse("0.0.0.0/0"), Cidr.parse("::/0")), Set.of(), Set.of(), "");
    }

    /**
     * A policy from allow-list entries, each an address, a range ({@code 10.0.0.0/8},
     * {@code fd00::/8}) or a host name ({@code registry.internal}, {@code localhost}).
     *
     * @throws IllegalArgumentException naming an entry that is none of these
     */
    public static AddressPolicy of(Collection<String> allowList, Set<InetAddress> ownAddresses, String setting) {
        var ranges = new ArrayList<Cidr>();
        var hosts = new HashSet<String>();
        for (String raw : allowList) {
            String entry = raw.strip();
            if (entry.isEmpty()) continue;
            String unclear = setting + ": '" + entry + "' is not an address, a range or a host name";
            if (entry.contains("/") || Cidr.literal(entry) != null) {
                try {
                    ranges.add(Cidr.parse(entry));
                } catch (IllegalArgumentException e) {
                    throw new IllegalArgumentException(e.getMessage().contains("prefix") ? setting + ": '" + entry + "': " + e.getMessage() : unclear);
                }
            } else if (entry.matches("[A-Za-z0-9]([A-Za-z0-9.-]*[A-Za-z0-9])?") && !HostName.isNumericLooking(entry)) {
                hosts.add(entry.toLowerCase(Locale.ROOT));
            } else {
                throw new IllegalArgumentException(unclear);
            }
        }
        return new AddressPolicy(ranges, hosts, ownAddresses, setting);
    }

    /** Whether this is {@link #any()}: nothing to check, nothing to resolve. */
    public boolean allowsEverything() {
        return allowedRanges.contains(Cidr.parse("0.0.0.0/0")) && allowedRanges.contains(Cidr.parse("::/0"));
    }

    /** What can be told from the name alone, before resolving it. */
    public Verdict checkName(String host) {
        if (allowsEverything()) return new Allowed();
        String h = bare(host);
        if (allowedHosts.contains(h)) return new Allowed();
        if (HostName.isNumericLooking(h)) {
            return new Refused("host '" + host + "' is a number that is not a dotted-decimal address; write the address as"
                    + " four decimal parts (a.b.c.d)");
        }
        if (HostName.isLocalhostName(h) && !allowed(loopback())) {
            return refused(host, "is a loopback name");
        }
        return new Allowed();
    }

    /** Whether {@code host}, resolved to {@code address}, may be connected to. */
    public Verdict check(String host, InetAddress address) {
        if (allowedHosts.contains(bare(host))) return new Allowed();
        if (allowed(address)) return new Allowed();
        AddressClass kind = Addresses.classify(address);
        if (kind == AddressClass.PUBLIC && ownAddresses.contains(address)) kind = AddressClass.OWN;
        if (kind == AddressClass.PUBLIC) return new Allowed();
        return refused(host, "resolves to " + address.getHostAddress() + ", " + kind.phrase() + " address");
    }

    private boolean allowed(InetAddress address) {
        for (Cidr c : allowedRanges) if (c.contains(address)) return true;
        return false;
    }

    private Refused refused(String host, String detail) {
        return new Refused("'" + host + "' " + detail + "; Berth does not connect to loopback, private, link-local or"
                + " its own addresses unless an administrator allows them" + (setting.isEmpty() ? "" : " (" + setting + ")"));
    }

    private static InetAddress loopback() {
        return InetAddress.getLoopbackAddress();
    }

    private static String bare(String host) {
        String h = host.toLowerCase(Locale.ROOT);
        if (h.startsWith("[") && h.endsWith("]")) h = h.substring(1, h.length() - 1);
        return h.endsWith(".") ? h.substring(0, h.length() - 1) : h;
    }
}

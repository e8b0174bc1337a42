package dev.berth.agent.firewall;

import static dev.berth.agent.firewall.TableObjects.CONNECTS;
import static dev.berth.agent.firewall.TableObjects.CONNECTS_REPLIES;
import static dev.berth.agent.firewall.TableObjects.FORWARD;
import static dev.berth.agent.firewall.TableObjects.FORWARD_MAP;
import static dev.berth.agent.firewall.TableObjects.INPUT;
import static dev.berth.agent.firewall.TableObjects.INPUT_MAP;
import static dev.berth.agent.firewall.TableObjects.NON_PUBLIC_4;
import static dev.berth.agent.firewall.TableObjects.NON_PUBLIC_6;
import static dev.berth.agent.firewall.TableObjects.OUTPUT;
import static dev.berth.agent.firewall.TableObjects.POSTROUTING;
import static dev.berth.agent.firewall.TableObjects.PREROUTING;
import static dev.berth.agent.firewall.TableObjects.PUBLISHED_ADDR;
import static dev.berth.agent.firewall.TableObjects.PUBLISHED_ANY;
import static dev.berth.agent.firewall.TableObjects.PUBLISHED_TARGETS;
import static dev.berth.agent.firewall.TableObjects.SUBNETS_4;
import static dev.berth.agent.firewall.TableObjects.SUBNETS_6;

import dev.berth.registry.network.Cidr;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import java.util.stream.Collectors;

/**
 * Renders the table's rules as nft scripts, each applied in one transaction. Pure: what the table
 * holds now comes in as a {@link TableListing}, so that only existing objects are deleted.
 *
 * <p>Containers attach through point-to-point interfaces (CNI {@code ptp}), so each of their
 * packets is routed by the host: to other hosts through the {@code forward} hook, to the host's own
 * addresses through {@code input}. Both hooks dispatch on the arriving interface to the
 * container's chains; packets from container subnets on an unknown interface are dropped. The nat
 * hooks {@code prerouting} and {@code output} lead published ports to their chains ({@link ForwardRules}).
 */
final class FirewallRules {
    /** Protocols with ports: their refusals are counted per port. */
    private static final String PORTED = "{ tcp, udp, dccp, sctp, udplite }";
    private static final int SET_SIZE = 1024;
    private static final int DNS_PORT = 53;
    /** A packet the container sends back on a connection a published port forwarded to it (conntrack knows it; it cannot be forged). */
    private static final String DNAT_REPLY = "ct direction reply ct status dnat ip saddr @" + SUBNETS_4 + " accept";

    private final String table;

    FirewallRules(String table) {
        this.table = "inet " + TableObjects.table(table);
    }

    /**
     * Creates the table if missing and rebuilds its base chains and address sets, keeping the
     * containers' chains, sets and map entries.
     */
    String base(List<Cidr> containerSubnets, List<Cidr> nonPublic, TableListing now) {
        var s = new Script();
        s.add("add table " + table);
        addressSet(s, NON_PUBLIC_4, false, nonPublic);
        addressSet(s, NON_PUBLIC_6, true, nonPublic);
        addressSet(s, SUBNETS_4, false, containerSubnets);
        addressSet(s, SUBNETS_6, true, containerSubnets);
        s.add("add map " + table + " " + FORWARD_MAP + " { type ifname : verdict; }");
        s.add("add map " + table + " " + INPUT_MAP + " { type ifname : verdict; }");
        publishedPorts(s, now);
        connects(s);
        // Base chains are referenced by nothing: deleting and re-adding them repairs any change.
        for (String chain : TableObjects.BASE_CHAINS) if (now.chains().contains(chain)) s.add("delete chain " + table + " " + chain);

        s.add("add chain " + table + " " + FORWARD + " { type filter hook forward priority filter; policy accept; }");
        s.rule(FORWARD, DNAT_REPLY, "replies of connections to a published port");
        // A container's connects to a replica on this host, DNAT'ed inside its own namespace: only
        // from its own interface (no other container can use its address), both ways, established
        // packets too (its own chain would refuse a container subnet), before anything is dropped.
        s.rule(FORWARD, "ct direction reply ip daddr . ip saddr . tcp sport @" + CONNECTS_REPLIES + " accept",
                "replies of connects to a replica on this host");
        s.rule(FORWARD, "iifname . ip saddr . ip daddr . tcp dport @" + CONNECTS + " accept", "connects to a replica on this host");
        s.rule(FORWARD, "ip daddr @" + SUBNETS_4 + " ct state != { established, related } ct status & dnat == 0 counter drop",
                "nothing opens a connection into a container");
        s.rule(FORWARD, "ip daddr @" + SUBNETS_4 + " ct state != { established, related } ip daddr . meta l4proto . th dport != @"
                + PUBLISHED_TARGETS + " counter drop", "but a published port, forwarded");
        s.rule(FORWARD, "ip6 daddr @" + SUBNETS_6 + " ct state != { established, related } counter drop",
                "nothing opens a connection into a container");
        s.rule(FORWARD, "iifname vmap @" + FORWARD_MAP, null);
        for (String ip : List.of("ip", "ip6")) {
            s.rule(FORWARD, ip + " saddr @" + subnets(ip) + " counter drop", "from a container subnet on an interface without rules");
        }

        s.add("add chain " + table + " " + INPUT + " { type filter hook input priority filter; policy accept; }");
        s.rule(INPUT, DNAT_REPLY, "replies of the host's connections to a published port");
        s.rule(INPUT, "iifname vmap @" + INPUT_MAP, null);
        for (String ip : List.of("ip", "ip6")) {
            s.rule(INPUT, "iifname != \"lo\" " + ip + " saddr @" + subnets(ip) + " counter drop",
                    "from a container subnet on an interface without rules");
        }

        s.add("add chain " + table + " " + POSTROUTING + " { type nat hook postrouting priority srcnat; policy accept; }");
        for (String ip : List.of("ip", "ip6")) {
            s.rule(POSTROUTING, ip + " saddr @" + subnets(ip) + " " + ip + " daddr != @" + subnets(ip) + " masquerade",
                    "containers leave with the host's address");
        }
        // route_localnet lets such a packet out through the container's interface; the container
        // answers the interface's host address, which conntrack turns back into 127.0.0.1.
        s.rule(POSTROUTING, "ct status dnat ip saddr 127.0.0.0/8 ip daddr @" + SUBNETS_4 + " masquerade",
                "the host's loopback connections to a published port");
        s.add("add chain " + table + " " + PREROUTING + " { type nat hook prerouting priority dstnat; policy accept; }");
        for (String rule : ForwardRules.dispatch(true)) s.rule(PREROUTING, rule, null);
        s.add("add chain " + table + " " + OUTPUT + " { type nat hook output priority -100; policy accept; }");
        for (String rule : ForwardRules.dispatch(false)) s.rule(OUTPUT, rule, null);
        return s.text();
    }

    /**
     * The maps and set of published ports, emptied (their nat chains follow the other base chains): the agent forwards its ports again
     * as it opens them ({@link ForwardRules}); connections forwarded before carry on through conntrack.
     */
    private void publishedPorts(Script s, TableListing now) {
        s.add("add map " + table + " " + PUBLISHED_ADDR + " { type ipv4_addr . inet_service : verdict; }");
        s.add("add map " + table + " " + PUBLISHED_ANY + " { type inet_service : verdict; }");
        s.add("add set " + table + " " + PUBLISHED_TARGETS + " { type ipv4_addr . inet_proto . inet_service; }");
        for (String name : List.of(PUBLISHED_ADDR, PUBLISHED_ANY)) s.add("flush map " + table + " " + name);
        s.add("flush set " + table + " " + PUBLISHED_TARGETS);
        for (String chain : ForwardRules.portChains(now.chains())) s.add("delete chain " + table + " " + chain);
    }

    /** The sets of connects between containers, emptied: the agent fills them again as it syncs its connects. */
    private void connects(Script s) {
        s.add("add set " + table + " " + CONNECTS + " { type ifname . ipv4_addr . ipv4_addr . inet_service; }");
        s.add("add set " + table + " " + CONNECTS_REPLIES + " { type ipv4_addr . ipv4_addr . inet_service; }");
        for (String name : List.of(CONNECTS, CONNECTS_REPLIES)) s.add("flush set " + table + " " + name);
    }

    /** Replaces the connects between containers the forward chain lets through with {@code paths}. */
    String connectPaths(java.util.Collection<ConnectPath> paths) {
        var s = new Script();
        connects(s);
        var forth = new LinkedHashSet<String>();
        var back = new LinkedHashSet<String>();
        for (ConnectPath p : paths) {
            String pair = address(p.consumer()) + " . " + address(p.producer()) + " . " + p.port();
            forth.add("\"" + TableObjects.hostInterface(p.consumerInterface()) + "\" . " + pair);
            back.add(pair);
        }
        if (!forth.isEmpty()) s.add("add element " + table + " " + CONNECTS + " { " + String.join(", ", forth) + " }");
        if (!back.isEmpty()) s.add("add element " + table + " " + CONNECTS_REPLIES + " { " + String.join(", ", back) + " }");
        return s.text();
    }

    /** Installs or replaces one container's chains and map entries; its refusal counts are kept. */
    String apply(ContainerRules rules, TableListing now) {
        String c = TableObjects.container(rules.container());
        String iface = TableObjects.hostInterface(rules.hostInterface());
        String forward = TableObjects.forwardChain(c);
        String input = TableObjects.inputChain(c);
        var s = new Script();
        for (String chain : List.of(forward, input)) {
            s.add("add chain " + table + " " + chain);
            s.add("flush chain " + table + " " + chain);
        }
        for (boolean v6 : List.of(false, true)) {
            String addr = v6 ? "ipv6_addr" : "ipv4_addr";
            s.add("add set " + table + " " + TableObjects.refusedSet(c, v6, true) + " { type " + addr
                    + " . inet_proto . inet_service; size " + SET_SIZE + "; flags dynamic; counter; }");
            s.add("add set " + table + " " + TableObjects.refusedSet(c, v6, false) + " { type " + addr
                    + " . inet_proto; size " + SET_SIZE + "; flags dynamic; counter; }");
        }
        // The container's old interface, and whatever container the new interface was left to, lose their entries.
        for (String map : List.of(FORWARD_MAP, INPUT_MAP)) {
            var stale = new LinkedHashSet<>(now.interfacesJumpingTo(map, map.equals(FORWARD_MAP) ? forward : input));
            if (now.maps().getOrDefault(map, Map.of()).containsKey(iface)) stale.add(iface);
            for (String old : stale) s.add("delete element " + table + " " + map + " { \"" + old + "\" }");
        }
        s.add("add element " + table + " " + FORWARD_MAP + " { \"" + iface + "\" : jump " + forward + " }");
        s.add("add element " + table + " " + INPUT_MAP + " { \"" + iface + "\" : jump " + input + " }");

        boolean reachesAnything = rules.publicEgress() || !rules.allowed().isEmpty();
        sourceCheck(s, forward, rules.addresses());
        if (reachesAnything) dns(s, forward, rules.resolvers());
        // DNS goes to its resolvers only: a destination that names port 53 itself is a decision, a
        // range open on every port or the public internet is not.
        for (Destination d : rules.allowed()) if (d.port() == DNS_PORT) allow(s, forward, d);
        if (reachesAnything) refuseOtherDns(s, forward, c);
        for (Destination d : rules.allowed()) if (d.port() != DNS_PORT) allow(s, forward, d);
        if (rules.publicEgress()) {
            s.rule(forward, "ip daddr != @" + NON_PUBLIC_4 + " ip daddr != @" + SUBNETS_4 + " accept", "public internet");
            s.rule(forward, "ip6 daddr != @" + NON_PUBLIC_6 + " ip6 daddr != @" + SUBNETS_6 + " accept", "public internet");
        }
        refuse(s, forward, c, "refused");

        s.rule(input, "icmpv6 type { nd-neighbor-solicit, nd-neighbor-advert } accept", "IPv6 neighbour discovery");
        sourceCheck(s, input, rules.addresses());
        if (reachesAnything) dns(s, input, rules.resolvers());
        refuse(s, input, c, "refused: the host");
        return s.text();
    }

    /** Deletes whatever of the container's objects exist; empty when it has none. */
    String remove(String container, TableListing now) {
        String c = TableObjects.container(container);
        var s = new Script();
        String forward = TableObjects.forwardChain(c);
        String input = TableObjects.inputChain(c);
        for (String map : List.of(FORWARD_MAP, INPUT_MAP)) {
            for (String iface : now.interfacesJumpingTo(map, map.equals(FORWARD_MAP) ? forward : input)) {
                s.add("delete element " + table + " " + map + " { \"" + iface + "\" }");
            }
        }
        for (String chain : List.of(forward, input)) if (now.chains().contains(chain)) s.add("delete chain " + table + " " + chain);
        for (boolean v6 : List.of(false, true)) {
            for (boolean ported : List.of(true, false)) {
                String set = TableObjects.refusedSet(c, v6, ported);
                if (now.sets().contains(set)) s.add("delete set " + table + " " + set);
            }
        }
        return s.text();
    }

    /**
     * The human-readable account of one container's rules: its interfaces, then the rules of its
     * two chains as {@code nft list chain} printed them (counters included).
     */
    static String description(String container, List<String> interfaces, String forwardListing, String inputListing) {
        var out = new StringBuilder();
        out.append("container ").append(container).append(": packets from ")
                .append(interfaces.isEmpty() ? "no interface" : String.join(", ", interfaces)).append('\n');
        out.append("to other hosts (first match decides):\n");
        for (String rule : chainRules(forwardListing)) out.append("  ").append(rule).append('\n');
        out.append("to this host:\n");
        for (String rule : chainRules(inputListing)) out.append("  ").append(rule).append('\n');
        out.append("@" + NON_PUBLIC_4 + ", @" + NON_PUBLIC_6 + ": loopback, private, shared, link-local, multicast, reserved"
                + " and unspecified addresses; @" + SUBNETS_4 + ", @" + SUBNETS_6 + ": the agent's container subnets\n");
        return out.toString();
    }

    /** The rule lines of {@code nft list chain} output: those inside the chain's braces. */
    static List<String> chainRules(String listing) {
        var rules = new ArrayList<String>();
        boolean inChain = false;
        for (String line : listing.split("\n")) {
            String t = line.strip();
            if (t.startsWith("chain ") && t.endsWith("{")) inChain = true;
            else if (t.equals("}")) inChain = false;
            else if (inChain && !t.isEmpty()) rules.add(t);
        }
        return rules;
    }

    /** Packets not from the container's own addresses are dropped (it cannot pass for another). */
    private static void sourceCheck(Script s, String chain, List<InetAddress> addresses) {
        for (boolean v6 : List.of(false, true)) {
            String ip = v6 ? "ip6" : "ip";
            List<String> own = addresses.stream().filter(a -> (a.getAddress().length == 16) == v6).map(FirewallRules::address).toList();
            if (own.isEmpty()) {
                s.rule(chain, "meta nfproto " + (v6 ? "ipv6" : "ipv4") + " counter drop", "it has no " + (v6 ? "IPv6" : "IPv4") + " address");
            } else {
                s.rule(chain, ip + " saddr != " + anonymousSet(own) + " counter drop", "not from its address");
            }
        }
    }

    private static void dns(Script s, String chain, List<InetAddress> resolvers) {
        for (boolean v6 : List.of(false, true)) {
            List<String> servers = resolvers.stream().filter(a -> (a.getAddress().length == 16) == v6).map(FirewallRules::address).toList();
            if (servers.isEmpty()) continue;
            s.rule(chain, (v6 ? "ip6" : "ip") + " daddr " + anonymousSet(servers) + " meta l4proto { tcp, udp } th dport 53 accept",
                    "DNS to its resolvers");
        }
    }

    private static void allow(Script s, String chain, Destination d) {
        if (d.port() < 0 || d.port() > 65535) {
            throw new IllegalArgumentException("allowed destination " + d.range() + " has port " + d.port() + ", not 0-65535");
        }
        String ip = d.range().network().length == 4 ? "ip" : "ip6";
        String port = d.port() == 0 ? "" : " th dport " + d.port();
        s.rule(chain, ip + " daddr " + cidr(d.range()) + " meta l4proto { tcp, udp }" + port + " accept",
                "allowed: " + cidr(d.range()) + (d.port() == 0 ? " every port" : " port " + d.port()));
    }

    /** DNS to any server but its resolvers: counted like every refusal, then dropped. */
    private static void refuseOtherDns(Script s, String chain, String c) {
        for (boolean v6 : List.of(false, true)) {
            s.rule(chain, "meta nfproto " + (v6 ? "ipv6" : "ipv4") + " meta l4proto { tcp, udp } th dport " + DNS_PORT
                    + " add @" + TableObjects.refusedSet(c, v6, true) + " { " + (v6 ? "ip6" : "ip") + " daddr . meta l4proto . th dport }"
                    + " counter drop", "refused: DNS only to its resolvers");
        }
    }

    /** Counts the destination in the container's refused sets, then drops (the drop stands even when a set is full). */
    private static void refuse(Script s, String chain, String c, String comment) {
        for (boolean v6 : List.of(false, true)) {
            String daddr = (v6 ? "ip6" : "ip") + " daddr";
            s.rule(chain, "meta l4proto " + PORTED + " add @" + TableObjects.refusedSet(c, v6, true)
                    + " { " + daddr + " . meta l4proto . th dport }", null);
            s.rule(chain, "meta nfproto " + (v6 ? "ipv6" : "ipv4") + " meta l4proto != " + PORTED + " add @"
                    + TableObjects.refusedSet(c, v6, false) + " { " + daddr + " . meta l4proto }", null);
        }
        s.rule(chain, "counter drop", comment);
    }

    private void addressSet(Script s, String name, boolean v6, List<Cidr> ranges) {
        s.add("add set " + table + " " + name + " { type " + (v6 ? "ipv6_addr" : "ipv4_addr") + "; flags interval; }");
        s.add("flush set " + table + " " + name);
        List<Cidr> family = outermost(ranges.stream().filter(r -> (r.network().length == 16) == v6).toList());
        if (!family.isEmpty()) {
            s.add("add element " + table + " " + name + " { "
                    + family.stream().map(FirewallRules::cidr).collect(Collectors.joining(", ")) + " }");
        }
    }

    /** The ranges not inside another: interval sets refuse overlapping elements. */
    static List<Cidr> outermost(List<Cidr> ranges) {
        var sorted = ranges.stream().sorted(Comparator.comparingInt(Cidr::prefix)).toList();
        var kept = new ArrayList<Cidr>();
        for (Cidr r : sorted) {
            Predicate<Cidr> covers = k -> k.network().length == r.network().length && samePrefix(k.network(), r.network(), k.prefix());
            if (kept.stream().noneMatch(covers)) kept.add(r);
        }
        return kept;
    }

    private static boolean samePrefix(byte[] a, byte[] b, int bits) {
        for (int i = 0; i < bits; i++) {
            int mask = 0x80 >>> (i % 8);
            if ((a[i / 8] & mask) != (b[i / 8] & mask)) return false;
        }
        return true;
    }

    private static String anonymousSet(List<String> items) {
        return "{ " + String.join(", ", items) + " }";
    }

    /** nft's text for a range; IPv6 written out in full, so that IPv4-mapped addresses stay IPv6. */
    static String cidr(Cidr c) {
        byte[] masked = c.network().clone();
        for (int i = c.prefix(); i < masked.length * 8; i++) masked[i / 8] &= (byte) ~(0x80 >>> (i % 8));
        return format(masked) + "/" + c.prefix();
    }

    static String address(InetAddress a) {
        return format(a.getAddress());
    }

    private static String format(byte[] b) {
        if (b.length == 4) return (b[0] & 0xff) + "." + (b[1] & 0xff) + "." + (b[2] & 0xff) + "." + (b[3] & 0xff);
        var groups = new ArrayList<String>();
        for (int i = 0; i < 16; i += 2) groups.add(Integer.toHexString(((b[i] & 0xff) << 8) | (b[i + 1] & 0xff)));
        return String.join(":", groups);
    }

    private static String subnets(String ip) {
        return ip.equals("ip") ? SUBNETS_4 : SUBNETS_6;
    }

    /** nft commands, one a line. */
    private final class Script {
        private final List<String> lines = new ArrayList<>();

        void add(String line) {
            lines.add(line);
        }

        void rule(String chain, String rule, String comment) {
            lines.add("add rule " + table + " " + chain + " " + rule + (comment == null ? "" : " comment \"" + comment + "\""));
        }

        String text() {
            return lines.isEmpty() ? "" : String.join("\n", lines) + "\n";
        }
    }
}

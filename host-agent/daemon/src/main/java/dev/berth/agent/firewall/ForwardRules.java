package dev.berth.agent.firewall;

import static dev.berth.agent.firewall.TableObjects.PUBLISHED_ADDR;
import static dev.berth.agent.firewall.TableObjects.PUBLISHED_ANY;
import static dev.berth.agent.firewall.TableObjects.PUBLISHED_TARGETS;

import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * Renders published ports as DNAT rules. Pure. Each forwarded port has a chain of its own with one
 * rule, {@code dnat ip to numgen inc mod N map { 0 : addr . port, ... }}: its serving containers
 * take new connections in turn. The base nat chains reach that chain through a verdict map keyed
 * by address and port (or by port alone for a wildcard publish), and the filter's exception for
 * connections into containers accepts only DNAT'ed ones to the address and port of a member.
 * Replacing a port's rule is a flush and an add in one transaction: each new connection sees the
 * old serving set or the new one, and connections already forwarded carry on through conntrack.
 */
final class ForwardRules {
    private final String table;

    ForwardRules(String table) {
        this.table = "inet " + TableObjects.table(table);
    }

    /**
     * The script that brings the forwards of {@code changes} to what they say, given the forwards
     * installed {@code before}; the targets set is rebuilt from {@code after} (every forward once applied).
     */
    String apply(List<PortForward> changes, Map<PortForward.Key, PortForward> before, Collection<PortForward> after) {
        var lines = new ArrayList<String>();
        for (PortForward f : changes) {
            String chain = TableObjects.forwardedPortChain(f.address(), f.port());
            String element = f.address() == null ? PUBLISHED_ANY + " { " + f.port() + " }"
                    : PUBLISHED_ADDR + " { " + FirewallRules.address(f.address()) + " . " + f.port() + " }";
            boolean installed = before.containsKey(f.key()) && !before.get(f.key()).serving().isEmpty();
            if (f.serving().isEmpty()) {
                if (installed) {
                    lines.add("delete element " + table + " " + element);
                    lines.add("delete chain " + table + " " + chain);
                }
                continue;
            }
            lines.add("add chain " + table + " " + chain);
            lines.add("flush chain " + table + " " + chain);
            lines.add("add rule " + table + " " + chain + " " + dnat(f) + " comment \"published " + published(f) + "\"");
            if (!installed) {
                lines.add("add element " + table + " " + element.replace(" }", " : jump " + chain + " }"));
            }
        }
        lines.add("flush set " + table + " " + PUBLISHED_TARGETS);
        var targets = new LinkedHashSet<String>();
        for (PortForward f : after) for (InetSocketAddress m : f.members()) targets.add(target(m));
        if (!targets.isEmpty()) lines.add("add element " + table + " " + PUBLISHED_TARGETS + " { " + String.join(", ", targets) + " }");
        return String.join("\n", lines) + "\n";
    }

    /** The rule that sends a new connection to the next serving container. */
    static String dnat(PortForward f) {
        var entries = new ArrayList<String>();
        for (int i = 0; i < f.serving().size(); i++) entries.add(i + " : " + backend(f.serving().get(i)));
        return "meta l4proto tcp counter dnat ip to numgen inc mod " + f.serving().size() + " map { " + String.join(", ", entries) + " }";
    }

    private static String backend(InetSocketAddress b) {
        return FirewallRules.address(b.getAddress()) + " . " + b.getPort();
    }

    private static String target(InetSocketAddress b) {
        return FirewallRules.address(b.getAddress()) + " . tcp . " + b.getPort();
    }

    private static String published(PortForward f) {
        return (f.address() == null ? "*" : FirewallRules.address(f.address())) + ":" + f.port();
    }

    /** The base-chain rules that lead to the forwarded ports' chains, for the nat hooks {@code prerouting} and {@code output}. */
    static List<String> dispatch(boolean prerouting) {
        var rules = new ArrayList<String>();
        // A container's own packets are never forwarded: to the host's addresses they stay refused in its input chain.
        if (prerouting) rules.add("ip saddr @" + TableObjects.SUBNETS_4 + " return");
        rules.add("meta l4proto tcp ip daddr . tcp dport vmap @" + PUBLISHED_ADDR);
        rules.add("meta l4proto tcp fib daddr type local tcp dport vmap @" + PUBLISHED_ANY);
        return rules;
    }

    /** Names of the forwarded ports' chains among {@code chains}. */
    static List<String> portChains(Collection<String> chains) {
        return chains.stream().filter(TableObjects::isForwardedPortChain).sorted().collect(Collectors.toList());
    }
}

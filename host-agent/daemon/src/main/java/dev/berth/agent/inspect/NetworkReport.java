package dev.berth.agent.inspect;

import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;

/**
 * A container's network promises, each compared with its live process. Pure. Without a network
 * only loopback exists; with one, loopback and {@code eth0} with the addresses CNI gave it, a
 * default route through the host, the agent's resolvers and the firewall's rules.
 */
public final class NetworkReport {
    private NetworkReport() {
    }

    /**
     * What the agent set up for a container with a network.
     *
     * @param addresses its eth0 addresses, without prefix
     * @param gateway where its default route must point
     * @param resolvers the servers of the resolv.conf the agent wrote
     * @param firewall the container's rules as nftables lists them, blank when it has none
     */
    public record Promised(List<String> addresses, String gateway, List<String> resolvers, String firewall) {
    }

    /** The checks for a container without a network ({@code promised} null) or with one. */
    public static List<IsolationReport.Item> evaluate(Promised promised, NetworkView seen) {
        var items = new ArrayList<IsolationReport.Item>();
        boolean attached = promised != null;
        items.add(item("network interfaces", attached ? "[eth0, lo]" : "[lo]", seen.interfaces().toString()));
        var addresses = new TreeSet<String>(List.of("127.0.0.1"));
        if (attached) addresses.addAll(promised.addresses());
        items.add(item("network addresses", addresses.toString(), new TreeSet<>(seen.addresses()).toString()));
        String defaults = seen.routes().stream().filter(r -> r.startsWith("0.0.0.0/0")).toList().toString();
        items.add(item("default route", attached ? "[0.0.0.0/0 via " + promised.gateway() + " dev eth0]" : "[]", defaults));
        if (!attached) return List.copyOf(items);
        items.add(item("resolvers", promised.resolvers().toString(), seen.resolvers().toString()));
        String rules = promised.firewall() == null ? "" : promised.firewall().strip().replaceAll("\\s+", " ");
        items.add(new IsolationReport.Item("firewall", "the container's own rules, everything else dropped",
                rules.isEmpty() ? "no rules" : rules, !rules.isEmpty()));
        return List.copyOf(items);
    }

    private static IsolationReport.Item item(String name, String expected, String actual) {
        return new IsolationReport.Item(name, expected, actual, expected.equals(actual));
    }
}

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
     * @param rules what its firewall rules must let through
     */
    public record Promised(List<String> addresses, String gateway, List<String> resolvers, Rules rules) {
    }

    /**
     * A container's firewall rules: what they must allow and how the firewall listed them.
     *
     * @param hostInterface the host end of its veth, where the rules must pick up its packets
     * @param publicEgress whether public internet addresses are allowed
     * @param allowed how many non-public destinations are allowed
     * @param dns whether DNS to its resolvers is allowed
     * @param listed the firewall's description of its rules; null when it could not be listed
     */
    public record Rules(String hostInterface, boolean publicEgress, int allowed, boolean dns, String listed) {
        String expected() {
            return summary(hostInterface, publicEgress, allowed, dns);
        }

        /** The listing in the form of {@link #expected()}: where the rules pick up packets and what their comments allow. */
        String actual() {
            if (listed == null) return "the rules could not be listed";
            String first = listed.lines().findFirst().orElse("").strip();
            int at = first.indexOf(FROM);
            if (at < 0) return first.length() > 200 ? first.substring(0, 200) + "..." : first;
            return summary(first.substring(at + FROM.length()), listed.contains("\"public internet\""),
                    listed.split("\"allowed: ", -1).length - 1, listed.contains("\"DNS to its resolvers\""));
        }

        private static final String FROM = "packets from ";

        private static String summary(String from, boolean publicEgress, int allowed, boolean dns) {
            var allows = new ArrayList<String>();
            if (publicEgress) allows.add("public internet");
            if (allowed > 0) allows.add(allowed + " allowed destination" + (allowed == 1 ? "" : "s"));
            if (dns) allows.add("DNS to its resolvers");
            return FROM + from + ": " + (allows.isEmpty() ? "nothing" : String.join(", ", allows)) + " allowed, everything else dropped";
        }
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
        var rules = promised.rules();
        items.add(item("firewall", rules.expected(), rules.actual()));
        return List.copyOf(items);
    }

    private static IsolationReport.Item item(String name, String expected, String actual) {
        return new IsolationReport.Item(name, expected, actual, expected.equals(actual));
    }
}

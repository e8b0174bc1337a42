package dev.berth.agent.firewall;

import java.net.InetAddress;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * What {@code nft -j list table} says the table holds: its chains, its sets, the interfaces in its
 * verdict maps and the refused destinations its containers' sets counted. Pure: parsed from text.
 *
 * @param maps per verdict map, interface name → the chain it jumps to
 */
record TableListing(Set<String> chains, Set<String> sets, Map<String, Map<String, String>> maps, List<Refusal> refusals) {
    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final Pattern IP_LITERAL = Pattern.compile("[0-9A-Fa-f:.]+");

    /** A table that does not exist yet. */
    static final TableListing EMPTY = new TableListing(Set.of(), Set.of(), Map.of(), List.of());

    TableListing {
        chains = Set.copyOf(chains);
        sets = Set.copyOf(sets);
        maps = Map.copyOf(maps);
        refusals = List.copyOf(refusals);
    }

    /** The containers with any object in the table. */
    Set<String> containers() {
        var out = new LinkedHashSet<String>();
        for (String name : chains) addContainer(out, name);
        for (String name : sets) addContainer(out, name);
        return out;
    }

    private static void addContainer(Set<String> out, String name) {
        String c = TableObjects.containerOf(name);
        if (c != null) out.add(c);
    }

    /** The interfaces of {@code map} whose verdict jumps to {@code chain}. */
    List<String> interfacesJumpingTo(String map, String chain) {
        return maps.getOrDefault(map, Map.of()).entrySet().stream()
                .filter(e -> e.getValue().equals(chain)).map(Map.Entry::getKey).toList();
    }

    /**
     * The maps once a container's chains are given {@code iface} (what {@link FirewallRules#apply}
     * writes): its old interfaces and the interface's old owner lose their entries.
     */
    TableListing withContainer(String iface, String forward, String input) {
        var out = withoutContainer(forward, input);
        var maps = new LinkedHashMap<>(out.maps);
        maps.put(TableObjects.FORWARD_MAP, with(maps.get(TableObjects.FORWARD_MAP), iface, forward));
        maps.put(TableObjects.INPUT_MAP, with(maps.get(TableObjects.INPUT_MAP), iface, input));
        return new TableListing(chains, sets, maps, refusals);
    }

    /** The maps without the entries that jump to the container's chains {@code forward} and {@code input}. */
    TableListing withoutContainer(String forward, String input) {
        var maps = new LinkedHashMap<String, Map<String, String>>();
        this.maps.forEach((name, entries) -> {
            var kept = new LinkedHashMap<>(entries);
            kept.values().removeIf(chain -> chain.equals(forward) || chain.equals(input));
            maps.put(name, kept);
        });
        return new TableListing(chains, sets, maps, refusals);
    }

    private static Map<String, String> with(Map<String, String> entries, String iface, String chain) {
        var out = entries == null ? new LinkedHashMap<String, String>() : new LinkedHashMap<>(entries);
        out.put(iface, chain);
        return out;
    }

    /** Parses nft's JSON listing of one table; an IllegalArgumentException naming what is malformed. */
    static TableListing parse(String json) {
        JsonNode root;
        try {
            root = JSON.readTree(json);
        } catch (JacksonException e) {
            throw new IllegalArgumentException("nft printed no JSON: " + e.getOriginalMessage());
        }
        JsonNode items = root.path("nftables");
        if (!items.isArray()) throw new IllegalArgumentException("nft's JSON has no 'nftables' array");
        var chains = new LinkedHashSet<String>();
        var sets = new LinkedHashSet<String>();
        var maps = new LinkedHashMap<String, Map<String, String>>();
        var refusals = new ArrayList<Refusal>();
        for (JsonNode item : items) {
            if (item.has("chain")) chains.add(item.get("chain").path("name").asString());
            if (item.has("map")) {
                JsonNode map = item.get("map");
                maps.put(map.path("name").asString(), verdicts(map.path("elem")));
            }
            if (item.has("set")) {
                JsonNode set = item.get("set");
                String name = set.path("name").asString();
                sets.add(name);
                if (TableObjects.isRefusedSet(name)) {
                    for (JsonNode elem : set.path("elem")) refusals.add(refusal(TableObjects.containerOf(name), name, elem));
                }
            }
        }
        return new TableListing(chains, sets, maps, refusals);
    }

    private static Map<String, String> verdicts(JsonNode elements) {
        var out = new LinkedHashMap<String, String>();
        for (JsonNode pair : elements) {
            // ["veth1a2b3c4d", {"jump": {"target": "c_web-1"}}]; the published ports' maps have other keys
            // ({"concat": [address, port]}, a port number): they are not interfaces, and this object does not keep them.
            String target = pair.path(1).path("jump").path("target").asString("");
            if (!target.isEmpty() && pair.path(0).isString()) out.put(pair.path(0).asString(), target);
        }
        return out;
    }

    /** One element of a refused set: {"elem": {"val": {"concat": [addr, proto, port?]}, "counter": {...}}}. */
    private static Refusal refusal(String container, String set, JsonNode elem) {
        JsonNode inner = elem.path("elem");
        JsonNode parts = inner.path("val").path("concat");
        if (!parts.isArray() || parts.size() < 2) throw new IllegalArgumentException("set " + set + " holds an element nft lists as " + elem);
        String address = parts.get(0).asString("");
        if (!IP_LITERAL.matcher(address).matches()) throw new IllegalArgumentException("set " + set + " holds '" + address + "', not an address");
        InetAddress destination;
        try {
            destination = InetAddress.ofLiteral(address);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("set " + set + " holds '" + address + "', not an address");
        }
        int port = parts.size() > 2 ? parts.get(2).asInt(0) : 0;
        long packets = inner.path("counter").path("packets").asLong(0);
        return new Refusal(container, destination, protocol(parts.get(1)), port, packets);
    }

    /** nft names the protocols it knows from /etc/protocols and prints a number for the others. */
    static String protocol(JsonNode value) {
        if (value.isNumber()) {
            return switch (value.asInt()) {
                case 1 -> "icmp";
                case 6 -> "tcp";
                case 17 -> "udp";
                case 58 -> "icmpv6";
                default -> Integer.toString(value.asInt());
            };
        }
        String name = value.asString("");
        return name.equals("ipv6-icmp") ? "icmpv6" : name;
    }
}

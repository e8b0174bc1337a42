package dev.berth.agent.cni;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * What a network ADD produced: the plugins' final result as the CNI specification shapes it, kept
 * whole (CHECK and DEL hand it back to the plugins as {@code prevResult}), and its addresses.
 */
public record CniResult(Map<String, Object> json, List<Address> addresses) {

    /** One address given to an interface: {@code address} in CIDR form, and its gateway if any. */
    public record Address(String address, String gateway, Integer interfaceIndex) {
    }

    public CniResult {
        json = Map.copyOf(json);
        addresses = List.copyOf(addresses);
    }

    /** Reads a result's {@code ips}; a result without them (a DEL's, or a plugin that adds none) has none. */
    @SuppressWarnings("unchecked")
    static CniResult of(Map<String, Object> json) {
        var out = new ArrayList<Address>();
        if (json.get("ips") instanceof List<?> ips) {
            for (Object o : ips) {
                if (!(o instanceof Map<?, ?> ip) || !(ip.get("address") instanceof String address)) continue;
                Object gateway = ip.get("gateway");
                Object index = ip.get("interface");
                out.add(new Address(address, gateway instanceof String g ? g : null,
                        index instanceof Number n ? n.intValue() : null));
            }
        }
        return new CniResult((Map<String, Object>) (Map<?, ?>) json, out);
    }
}

package dev.berth.agent.containernet;

import dev.berth.agent.cni.CniResult;
import java.util.List;
import java.util.Map;

/**
 * A container's attachment as the agent keeps it in {@code network.json} of its directory, for
 * DEL, the firewall and the isolation report. Written before CNI ADD with only {@code process}
 * (so a crash during ADD is repaired), and again with the result.
 *
 * @param process the identity of the container's init ({@code runtime.ProcessIdentity} line): its
 *                network namespace is entered only while that very process lives
 * @param hostInterface the host end of its veth pair, null before ADD finished
 * @param addresses its addresses in CIDR form
 * @param gateway where its default route points
 * @param cni the CNI result, handed back to DEL
 */
public record Attached(String process, String hostInterface, List<String> addresses, String gateway, Map<String, Object> cni) {
    public Attached {
        addresses = addresses == null ? List.of() : List.copyOf(addresses);
    }

    static Attached before(String process) {
        return new Attached(process, null, List.of(), null, null);
    }

    /** Reads the host interface (the one outside any sandbox), addresses and gateway from an ADD result. */
    static Attached of(String process, CniResult result) {
        String host = null;
        if (result.json().get("interfaces") instanceof List<?> interfaces) {
            for (Object o : interfaces) {
                if (o instanceof Map<?, ?> i && i.get("name") instanceof String name
                        && (!(i.get("sandbox") instanceof String s) || s.isEmpty())) {
                    host = name;
                    break;
                }
            }
        }
        var addresses = result.addresses().stream().map(CniResult.Address::address).toList();
        String gateway = result.addresses().stream().map(CniResult.Address::gateway).filter(g -> g != null).findFirst().orElse(null);
        return new Attached(process, host, addresses, gateway, result.json());
    }
}

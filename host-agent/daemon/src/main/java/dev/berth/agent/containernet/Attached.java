package dev.berth.agent.containernet;

import dev.berth.agent.cni.CniResult;
import java.util.List;
import java.util.Map;

/**
 * A container's attachment as the agent keeps it in {@code network.json} of its directory, for
 * DEL, the firewall and the isolation report. Written first with only where the container's
 * network namespace is (so a crash from then on is repaired), and again with CNI ADD's result.
 *
 * @param process for containers whose bundle predates the agent's own namespaces (runc made theirs):
 *                the identity of the container's init ({@code runtime.ProcessIdentity} line), whose
 *                network namespace is entered only while that very process lives; null otherwise
 * @param netns where the agent pinned the container's network namespace; null for those older ones
 * @param hostInterface the host end of its veth pair, null before ADD finished
 * @param addresses its addresses in CIDR form
 * @param gateway where its default route points
 * @param cni the CNI result, handed back to DEL
 * @param cniId the container id CNI ADD was given: a spare network's (see {@link SpareNetworks}) for a
 *              container that took one; null for the container's own name (and in files of older agents)
 */
public record Attached(String process, String netns, String hostInterface, List<String> addresses, String gateway, Map<String, Object> cni,
                       String cniId) {
    public Attached {
        addresses = addresses == null ? List.of() : List.copyOf(addresses);
    }

    /** Before CNI ADD into the namespace runc made for the process {@code process}. */
    static Attached before(String process) {
        return new Attached(process, null, null, List.of(), null, null, null);
    }

    /** Before the agent makes the namespace {@code netns}. */
    static Attached joining(String netns) {
        return new Attached(null, netns, null, List.of(), null, null, null);
    }

    /** The id CNI knows the attachment by: {@link #cniId} or else the container's {@code name}. */
    public String cniIdOr(String name) {
        return cniId == null ? name : cniId;
    }

    /** The same attachment under CNI id {@code id}, its network namespace pinned at {@code netns}. */
    Attached as(String id, String netns) {
        return new Attached(process, netns, hostInterface, addresses, gateway, cni, id);
    }

    /** Reads the host interface (the one outside any sandbox), addresses and gateway from an ADD result. */
    Attached with(CniResult result) {
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
        return new Attached(process, netns, host, addresses, gateway, result.json(), cniId);
    }
}

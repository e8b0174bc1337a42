package dev.berth.agent.firewall;

import java.util.List;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * The names of what the table holds. A container's objects are its name behind a fixed prefix, so
 * the name can be read back from any of them after a crash: runc ids ({@code [A-Za-z0-9][A-Za-z0-9_.-]*})
 * are nftables identifiers already once a letter leads, and no prefix is a keyword of nft's syntax.
 */
final class TableObjects {
    static final String FORWARD = "forward";
    static final String INPUT = "input";
    static final String POSTROUTING = "postrouting";
    /** The nat chains that forward published ports: packets from elsewhere, and the host's own. */
    static final String PREROUTING = "prerouting";
    static final String OUTPUT = "output";
    static final List<String> BASE_CHAINS = List.of(FORWARD, INPUT, POSTROUTING, PREROUTING, OUTPUT);
    /** Interface → verdict maps: the container chain its packets jump to. */
    static final String FORWARD_MAP = "container_forward";
    static final String INPUT_MAP = "container_input";
    /** Published address . port → its chain, and port → its chain for a publish on every address. */
    static final String PUBLISHED_ADDR = "published_addr4";
    static final String PUBLISHED_ANY = "published_any4";
    /** Every container address . protocol . port a published port forwards to. */
    static final String PUBLISHED_TARGETS = "published_targets4";
    /**
     * Connects between containers of this host that the kernel forwards: consumer host interface .
     * consumer address . producer address . port, and the same without the interface for the replies.
     */
    static final String CONNECTS = "connects4";
    static final String CONNECTS_REPLIES = "connects_replies4";
    static final String NON_PUBLIC_4 = "nonpublic4";
    static final String NON_PUBLIC_6 = "nonpublic6";
    static final String SUBNETS_4 = "subnets4";
    static final String SUBNETS_6 = "subnets6";

    private static final String FORWARD_CHAIN = "c_";
    private static final String PORT_CHAIN = "pp_";
    private static final Pattern PORT_CHAIN_NAME = Pattern.compile("pp_(any|[0-9]{1,3}(_[0-9]{1,3}){3})_[0-9]{1,5}");
    private static final String INPUT_CHAIN = "i_";
    private static final List<String> SET_PREFIXES = List.of("r4_", "r6_", "p4_", "p6_");
    private static final List<String> PREFIXES = Stream.concat(Stream.of(FORWARD_CHAIN, INPUT_CHAIN), SET_PREFIXES.stream()).toList();
    /** A runc id as CNI takes it; with a prefix it stays far below nft's 255-character names. */
    private static final Pattern CONTAINER = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_.-]{0,127}");
    private static final Pattern TABLE = Pattern.compile("[A-Za-z][A-Za-z0-9_]{0,63}");
    private static final Pattern INTERFACE = Pattern.compile("[A-Za-z0-9_-][A-Za-z0-9_.-]{0,14}");

    private TableObjects() {
    }

    static String table(String name) {
        if (name == null || !TABLE.matcher(name).matches()) {
            throw new IllegalArgumentException("table name '" + name + "' must be a letter then up to 63 letters, digits or '_'");
        }
        return name;
    }

    static String container(String name) {
        if (name == null || !CONTAINER.matcher(name).matches()) {
            throw new IllegalArgumentException("container name '" + name + "' is not a runc id ([A-Za-z0-9][A-Za-z0-9_.-]{0,127})");
        }
        return name;
    }

    static String hostInterface(String name) {
        if (name == null || !INTERFACE.matcher(name).matches() || name.equals(".") || name.equals("..")) {
            throw new IllegalArgumentException("host interface '" + name + "' is not a valid Linux interface name");
        }
        return name;
    }

    /** The chain the container's forwarded packets jump to. */
    static String forwardChain(String container) {
        return FORWARD_CHAIN + container(container);
    }

    /** The chain the container's packets to the host itself jump to. */
    static String inputChain(String container) {
        return INPUT_CHAIN + container(container);
    }

    /** The chain of one forwarded published port: {@code pp_any_8080}, {@code pp_127_0_0_1_8080}. */
    static String forwardedPortChain(java.net.Inet4Address address, int port) {
        return PORT_CHAIN + (address == null ? "any" : address.getHostAddress().replace('.', '_')) + "_" + port;
    }

    static boolean isForwardedPortChain(String name) {
        return PORT_CHAIN_NAME.matcher(name).matches();
    }

    /** The dynamic set counting refused destinations: IPv4 or IPv6, with a port or without one. */
    static String refusedSet(String container, boolean ipv6, boolean withPort) {
        return (withPort ? "r" : "p") + (ipv6 ? "6_" : "4_") + container(container);
    }

    /** Whether {@code name} is one of the sets {@link #refusedSet} names. */
    static boolean isRefusedSet(String name) {
        return SET_PREFIXES.stream().anyMatch(name::startsWith) && containerOf(name) != null;
    }

    /** The container whose object {@code name} is, or null when it is one of the table's own. */
    static String containerOf(String name) {
        for (String prefix : PREFIXES) {
            if (name.startsWith(prefix)) {
                String c = name.substring(prefix.length());
                return CONTAINER.matcher(c).matches() ? c : null;
            }
        }
        return null;
    }
}

package dev.berth.agent.containernet;

import java.net.InetAddress;
import java.util.ArrayList;
import java.util.List;

/**
 * The DNS servers containers are given, and their resolv.conf. Pure. A loopback server of the host
 * (systemd-resolved's 127.0.0.53) is the host's own loopback, which a container cannot reach: those
 * are left out, and systemd-resolved's list of upstream servers is used when nothing else is left.
 */
public final class Resolvers {
    private Resolvers() {
    }

    /** The {@code nameserver} addresses of a resolv.conf, in order; lines that are not IP literals are skipped. */
    public static List<InetAddress> nameservers(String resolvConf) {
        var out = new ArrayList<InetAddress>();
        for (String line : resolvConf.lines().toList()) {
            String[] f = line.strip().split("\\s+");
            if (f.length < 2 || !f[0].equals("nameserver")) continue;
            try {
                out.add(NetworkSettings.resolver(f[1]));
            } catch (IllegalArgumentException notALiteral) {
                // a scoped IPv6 address or junk: not something to hand on
            }
        }
        return out;
    }

    /**
     * The servers for containers when none are configured: the host's reachable ones, else those of
     * systemd-resolved's upstream file ({@code systemdResolvConf}, null when absent).
     */
    public static List<InetAddress> fromHost(String hostResolvConf, String systemdResolvConf) {
        var reachable = reachable(nameservers(hostResolvConf));
        if (reachable.isEmpty() && systemdResolvConf != null) reachable = reachable(nameservers(systemdResolvConf));
        return reachable;
    }

    private static List<InetAddress> reachable(List<InetAddress> servers) {
        return servers.stream().filter(a -> !a.isLoopbackAddress()).toList();
    }

    /**
     * A container's resolv.conf: its servers when it may reach anything beyond itself, otherwise
     * none, with the reason (it may not send DNS queries either).
     */
    public static String resolvConf(List<InetAddress> servers, boolean reachesAnything) {
        var out = new StringBuilder("# written by berth-agent\n");
        if (!reachesAnything) return out.append("# no nameserver: this container may not reach any address beyond itself\n").toString();
        if (servers.isEmpty()) return out.append("# no nameserver: none is configured for this host's containers\n").toString();
        for (InetAddress a : servers) out.append("nameserver ").append(a.getHostAddress()).append('\n');
        return out.toString();
    }
}

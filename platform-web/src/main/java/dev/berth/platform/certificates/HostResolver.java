package dev.berth.platform.certificates;

import java.net.InetAddress;
import java.util.List;

/** Resolves a route host's A and AAAA records before an order, to tell whether it points at the edges. */
public interface HostResolver {
    /**
     * The host's addresses; empty when it has no A or AAAA record.
     *
     * @throws java.io.UncheckedIOException when no DNS server answered
     */
    List<InetAddress> resolve(String host);
}

package dev.berth.platform.certificates;

import java.net.InetAddress;
import java.util.Set;

/**
 * The addresses at which edge hosts take HTTP traffic (port 80) from the internet. The integrator
 * implements it from the edges' heartbeats; a route host's DNS must point only at these before
 * the platform orders its certificate.
 */
public interface EdgeAddresses {
    Set<InetAddress> addresses();
}

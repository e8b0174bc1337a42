package dev.berth.platform.hosts;

/**
 * Published in the heartbeat's transaction when a host became an edge, stopped being one or moved
 * its edge address: its assignment gains or loses the routes, and DNS checks see other addresses.
 */
public record EdgeHostChanged(String hostId) {
}

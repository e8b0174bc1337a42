package dev.berth.platform.hosts;

/**
 * Published inside the heartbeat's transaction when a host reports a peer address other than the
 * one kept: the hosts whose apps connect to its replicas must hear of it.
 */
public record PeerAddressChanged(String hostId) {
}

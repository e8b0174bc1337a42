package dev.berth.platform.hosts;

/**
 * Published inside the transaction that starts or ends a host's drain, or removes it, so the
 * reconciler runs a round at once and the dashboard follows.
 *
 * @param hostId the host
 */
public record HostStandingChanged(String hostId) {
}

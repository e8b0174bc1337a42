package dev.berth.agent.protocol;

/**
 * How an edge host is doing, in each of its heartbeats.
 *
 * @param address the address routed host names should resolve to for this edge ({@code --edge-address}):
 *                the platform checks DNS against it before it orders a certificate
 * @param appliedGeneration the newest assignment generation whose edge part the proxy serves; 0 before the first
 * @param error why the proxy does not serve the newest edge part (the proxy would not start, a listen
 *              address is taken, it refused the configuration), in a sentence; null when it does
 */
public record EdgeStatus(String address, long appliedGeneration, String error) {
}

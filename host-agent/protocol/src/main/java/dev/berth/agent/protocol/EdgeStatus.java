package dev.berth.agent.protocol;

import java.util.List;

/**
 * How an edge host is doing, in each of its heartbeats.
 *
 * @param address the address routed host names should resolve to for this edge ({@code --edge-address}):
 *                the platform checks DNS against it before it orders a certificate
 * @param appliedGeneration the newest assignment generation whose edge part the proxy serves; 0 before the first
 * @param error why the proxy does not serve the newest edge part (the proxy would not start, a listen
 *              address is taken, it refused the configuration), in a sentence; null when it does
 * @param traffic per app, what this edge served since its agent started (running totals, so a lost
 *                heartbeat loses nothing; they start again at 0 when the agent restarts); at most
 *                {@link #MAX_TRAFFIC} apps, the busiest first when there are more
 */
public record EdgeStatus(String address, long appliedGeneration, String error, List<AppRequests> traffic) {
    /** The most apps one heartbeat reports traffic for. */
    public static final int MAX_TRAFFIC = 500;

    public EdgeStatus {
        traffic = traffic == null ? List.of() : List.copyOf(traffic);
    }

    /** An edge's status before it reports traffic. */
    public EdgeStatus(String address, long appliedGeneration, String error) {
        this(address, appliedGeneration, error, List.of());
    }

    /**
     * One app's requests through an edge since its agent started.
     *
     * @param app the app as edges name it, {@code team/app}
     * @param requests requests answered
     * @param serverErrors of those, answers with a 5xx status
     * @param bytes response body bytes sent
     */
    public record AppRequests(String app, long requests, long serverErrors, long bytes) {
    }
}

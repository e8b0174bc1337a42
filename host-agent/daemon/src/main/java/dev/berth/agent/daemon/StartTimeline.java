package dev.berth.agent.daemon;

import java.time.Instant;

/**
 * When a container's current run got where, by the agent's clock: its preparation began (the agent
 * took it up: image, files, bundle, network), its process ran, and it first passed its health
 * check (null until then, and for a container without a check). {@code berth-agent inspect} shows
 * it, so the time from an assignment to serving can be split into its parts.
 */
public record StartTimeline(Instant prepared, Instant running, Instant healthy) {
    /** Taken up at {@code at}, nothing run yet. */
    static StartTimeline preparedAt(Instant at) {
        return new StartTimeline(at, null, null);
    }

    /** A run's process runs from {@code at}; an earlier run's health pass no longer counts. */
    StartTimeline ranAt(Instant at) {
        return new StartTimeline(prepared, at, null);
    }

    /** The run passed its health check at {@code at}; only the first pass of a run counts. */
    StartTimeline healthyAt(Instant at) {
        return healthy != null ? this : new StartTimeline(prepared, running, at);
    }
}

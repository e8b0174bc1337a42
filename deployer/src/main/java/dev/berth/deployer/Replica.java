package dev.berth.deployer;

import java.time.Instant;
import java.util.Objects;

/**
 * One observed container, as its agent reported it.
 *
 * @param id the replica's id, unique across the cluster
 * @param app the app's qualified name, {@code team/app} (see {@link Desired#name()})
 * @param revision the revision it runs
 * @param hostId the host it runs on
 * @param state its state
 * @param since when it entered {@code state}
 * @param reserved what it reserves on its host while it is not {@link State#EXITED}
 */
public record Replica(String id, String app, long revision, String hostId, State state, Instant since,
                      Resources reserved) {
    /** Checks that nothing is missing. */
    public Replica {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(app, "app");
        Objects.requireNonNull(hostId, "hostId");
        Objects.requireNonNull(state, "state");
        Objects.requireNonNull(since, "since");
        Objects.requireNonNull(reserved, "reserved");
    }

    /** A replica's state. */
    public enum State {
        /** Running, its health check has not passed yet; too long in this state fails the health gate. */
        STARTING,
        /** Running and passing its health check. */
        HEALTHY,
        /** Running, had passed its health check and now fails it; too long in this state gets it replaced. */
        UNHEALTHY,
        /** The process exited; it reserves nothing and is removed and replaced. */
        EXITED
    }
}

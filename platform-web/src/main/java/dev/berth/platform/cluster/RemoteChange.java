package dev.berth.platform.cluster;

import java.util.Set;

/**
 * An application event: another platform instance on this database changed something. Published
 * on the listening thread; listeners only refresh or wake, they must not block it.
 */
public sealed interface RemoteChange {
    /** Whether waiting long polls should look at their host's generation again. */
    boolean generationMayHaveMoved();

    /** Topics changed (as {@code ui.LiveUpdates} names them), and maybe some host's generation. */
    record Changes(Set<String> topics, boolean generationMoved) implements RemoteChange {
        public Changes {
            topics = Set.copyOf(topics);
        }

        @Override
        public boolean generationMayHaveMoved() {
            return generationMoved;
        }
    }

    /**
     * Notices may have been lost (the listening connection was down): anything may have changed,
     * every view refreshes and every long poll looks again.
     */
    record Everything() implements RemoteChange {
        @Override
        public boolean generationMayHaveMoved() {
            return true;
        }
    }
}

package dev.berth.platform.cluster;

import java.util.Set;

/**
 * Changes collected on this instance between two sends: the topics that changed (as
 * {@code ui.LiveUpdates} names them, such as {@code app:acme/web}) and whether some host's
 * generation moved.
 */
public record ChangeBatch(Set<String> topics, boolean generationMoved) {
    public ChangeBatch {
        topics = Set.copyOf(topics);
    }

    public boolean isEmpty() {
        return topics.isEmpty() && !generationMoved;
    }
}

package dev.berth.platform.cluster;

import java.util.HashSet;
import java.util.Set;

/**
 * What this instance changed since the last send, coalesced: a topic that changes a hundred
 * times before the next send travels once. Thread-safe; the first change after a send says so,
 * so the sender schedules one send per burst.
 */
final class PendingChanges {
    private final Set<String> topics = new HashSet<>();
    private boolean generationMoved;

    /** Adds a topic; true when nothing was pending before (a send must be scheduled). */
    synchronized boolean add(String topic) {
        boolean wasEmpty = isEmpty();
        topics.add(topic);
        return wasEmpty;
    }

    /** Notes a generation move; true when nothing was pending before. */
    synchronized boolean generationMoved() {
        boolean wasEmpty = isEmpty();
        generationMoved = true;
        return wasEmpty;
    }

    /** Everything pending, which is then empty. */
    synchronized ChangeBatch take() {
        var batch = new ChangeBatch(topics, generationMoved);
        topics.clear();
        generationMoved = false;
        return batch;
    }

    /** Puts back a batch that could not be sent, merged with what came meanwhile; true when nothing was pending before. */
    synchronized boolean putBack(ChangeBatch batch) {
        boolean wasEmpty = isEmpty();
        topics.addAll(batch.topics());
        generationMoved |= batch.generationMoved();
        return wasEmpty && !batch.isEmpty();
    }

    private boolean isEmpty() {
        return topics.isEmpty() && !generationMoved;
    }
}

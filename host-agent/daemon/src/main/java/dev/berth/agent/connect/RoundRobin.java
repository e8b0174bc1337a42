package dev.berth.agent.connect;

import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Takes backends in turn: each pick starts after the one picked last, skipping those a connection
 * just failed to reach. The list may change between picks (a new assignment); the turn carries on
 * by position. Pure bookkeeping; thread-safe.
 */
final class RoundRobin {
    private int next;

    /** The next of {@code backends} not in {@code tried}; empty when none is left. */
    synchronized <T> Optional<T> pick(List<T> backends, Set<T> tried) {
        int n = backends.size();
        for (int i = 0; i < n; i++) {
            int index = (next + i) % n;
            T b = backends.get(index);
            if (tried.contains(b)) continue;
            next = (index + 1) % n;
            return Optional.of(b);
        }
        return Optional.empty();
    }
}

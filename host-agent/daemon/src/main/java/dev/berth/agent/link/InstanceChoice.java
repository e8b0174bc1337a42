package dev.berth.agent.link;

import dev.berth.backoff.Backoff;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Which of the platform's instances the link talks to, pure: it stays on one while calls to it
 * work. A failed call (no connection, a timeout, a 502, 503 or 504) puts that instance in backoff
 * (doubling with its failures in a row) and moves on to the next one in the list whose backoff is
 * over, or, when none is, to the one whose backoff ends first; so a dead instance is tried again
 * only when the others fail too, and never slows every call. With one instance nothing moves. An
 * instance that said when to come back ({@code Retry-After} on its 503) is waited for that long
 * instead of its backoff: it knows when its database may be back, the doubling does not.
 *
 * @param instances every instance with its failures in a row and when it may be called again
 * @param current   the index of the instance calls go to
 * @param backoff   the wait after an instance's failures in a row
 */
public record InstanceChoice(List<Instance> instances, int current, Backoff backoff) {

    /**
     * One instance: its URL, its failures in a row, when it may be called again, and whether that is
     * what it said itself ({@code Retry-After}) rather than the backoff.
     */
    public record Instance(URI uri, int failures, Instant retryAt, boolean told) {
        public Instance {
            Objects.requireNonNull(uri, "uri");
            Objects.requireNonNull(retryAt, "retryAt");
        }

        public Instance(URI uri, int failures, Instant retryAt) {
            this(uri, failures, retryAt, false);
        }

        Instance failedAt(Instant now, Backoff backoff, Duration told) {
            return told == null ? new Instance(uri, failures + 1, now.plus(backoff.delay(failures + 1)))
                    : new Instance(uri, failures + 1, now.plus(told), true);
        }

        boolean readyAt(Instant now) {
            return !retryAt.isAfter(now);
        }
    }

    public InstanceChoice {
        instances = List.copyOf(instances);
        if (instances.isEmpty()) throw new IllegalArgumentException("no platform instance to talk to");
        if (current < 0 || current >= instances.size()) throw new IllegalArgumentException("no instance " + current);
        Objects.requireNonNull(backoff, "backoff");
    }

    /** The first of {@code uris}, none of them failed yet. */
    public static InstanceChoice of(List<URI> uris, Backoff backoff) {
        return new InstanceChoice(uris.stream().map(u -> new Instance(u, 0, Instant.EPOCH)).toList(), 0, backoff);
    }

    /** Where calls go now. */
    public URI uri() {
        return instances.get(current).uri();
    }

    /** How long from {@code now} until the current instance may be called: zero unless every instance is in backoff. */
    public Duration readyIn(Instant now) {
        Instant at = instances.get(current).retryAt();
        return at.isAfter(now) ? Duration.between(now, at) : Duration.ZERO;
    }

    /**
     * The choice after a call to {@code tried} failed at {@code now}. A failure of an instance the
     * link has moved away from already (a call that began before the move) changes nothing.
     */
    public InstanceChoice failed(URI tried, Instant now) {
        return failed(tried, now, null);
    }

    /**
     * As {@link #failed(URI, Instant)}, the instance having said to come back after {@code told}
     * (its {@code Retry-After}, already capped); null when it said nothing.
     */
    public InstanceChoice failed(URI tried, Instant now, Duration told) {
        if (!uri().equals(tried)) return this;
        var next = new ArrayList<>(instances);
        next.set(current, instances.get(current).failedAt(now, backoff, told));
        int n = next.size();
        int chosen = -1;
        for (int k = 1; k < n && chosen < 0; k++) {
            if (next.get((current + k) % n).readyAt(now)) chosen = (current + k) % n;
        }
        if (chosen < 0) {
            // None is ready: the soonest, on a tie the next in the list (this one last).
            chosen = (current + 1) % n;
            for (int k = 2; k <= n; k++) {
                int i = (current + k) % n;
                if (next.get(i).retryAt().isBefore(next.get(chosen).retryAt())) chosen = i;
            }
        }
        return new InstanceChoice(next, chosen, backoff);
    }

    /**
     * The wait from {@code now} before retrying a call that failed on {@code tried}: {@code own} (the
     * loop's backoff) while the link stays on that instance, unless the instance said when to come
     * back, then until then; after a move, no longer than the new instance's wait.
     */
    public Duration waitAfter(URI tried, Duration own, Instant now) {
        if (!uri().equals(tried)) {
            Duration ready = readyIn(now);
            return ready.compareTo(own) < 0 ? ready : own;
        }
        return instances.get(current).told() ? readyIn(now) : own;
    }

    /** The choice after a call to {@code worked} was answered: its failures are forgotten. */
    public InstanceChoice worked(URI worked) {
        for (int i = 0; i < instances.size(); i++) {
            var instance = instances.get(i);
            if (instance.uri().equals(worked) && instance.failures() > 0) {
                var next = new ArrayList<>(instances);
                next.set(i, new Instance(worked, 0, Instant.EPOCH));
                return new InstanceChoice(next, current, backoff);
            }
        }
        return this;
    }
}

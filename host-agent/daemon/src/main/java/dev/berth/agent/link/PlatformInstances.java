package dev.berth.agent.link;

import dev.berth.backoff.Backoff;
import java.io.PrintStream;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.DoubleSupplier;

/**
 * The platform instances every loop of the link shares (see {@link InstanceChoice}): calls report
 * here whether their instance answered, and a move to another instance is logged once, whichever
 * loop noticed. Instances share one database, so the credential works on each of them.
 */
final class PlatformInstances {
    private final Clock clock;
    private final PrintStream log;
    private final DoubleSupplier random;
    private InstanceChoice choice;

    PlatformInstances(List<URI> uris, Duration firstRetry, Clock clock, PrintStream log) {
        this(uris, firstRetry, clock, log, () -> ThreadLocalRandom.current().nextDouble());
    }

    /** With {@code random} (uniform in {@code [0, 1)}) for the jitter added to an instance's {@code Retry-After}. */
    PlatformInstances(List<URI> uris, Duration firstRetry, Clock clock, PrintStream log, DoubleSupplier random) {
        this.choice = InstanceChoice.of(uris, new Backoff(firstRetry, LinkParts.MAX_BACKOFF));
        this.clock = clock;
        this.log = log;
        this.random = random;
    }

    /** Where calls go now. */
    synchronized URI current() {
        return choice.uri();
    }

    /** Whether there is more than one instance to move between. */
    synchronized boolean several() {
        return choice.instances().size() > 1;
    }

    /** A call to {@code tried} got no answer, or a 502, 503 or 504 ({@code why}); moves on if that is the current one. */
    synchronized void failed(URI tried, String why) {
        failed(tried, why, null);
    }

    /** As {@link #failed(URI, String)}, the instance having said to come back after {@code told} (null: it did not say). */
    synchronized void failed(URI tried, String why, Duration told) {
        var next = choice.failed(tried, clock.instant(), told == null ? null : RetryAfter.jittered(told, random));
        if (!next.uri().equals(choice.uri())) {
            log.println("berth-agent: platform instance " + tried + " fails (" + why + "); talking to " + next.uri() + " now");
        }
        choice = next;
    }

    /** A call to {@code answered} was answered. */
    synchronized void worked(URI answered) {
        choice = choice.worked(answered);
    }

    /**
     * The wait before retrying a call that failed on {@code tried}: {@code own} (the loop's backoff)
     * while the link stays on that instance and it did not say when to come back, what it said if it
     * did, else no longer than the new instance's wait ({@link InstanceChoice#waitAfter}).
     */
    synchronized Duration retryAfter(URI tried, Duration own) {
        return choice.waitAfter(tried, own, clock.instant());
    }

    /** Whether an answer with this status means the instance cannot serve now and another may. */
    static boolean unavailable(int status) {
        return status == 502 || status == 503 || status == 504;
    }
}

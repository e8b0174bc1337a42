package dev.berth.platform.security;

import dev.berth.platform.lockout.LockoutPolicy;
import dev.berth.platform.audit.AuditEvent;
import dev.berth.platform.audit.AuditLog;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.stereotype.Component;

/**
 * Audits failures of unauthenticated requests (bad passwords, unknown users, wrong tokens)
 * without letting a flood of them queue the platform behind the audit log's single chain head:
 * per {@link FailureTally}, a bounded number per source and window are audited one by one, and
 * the rest are counted and written as one {@code <action>.suppressed} event per action and
 * source when the window ends (by a background thread, so no request waits for it).
 */
@Component
public class FailureAudit implements DisposableBean {
    private static final Logger log = LoggerFactory.getLogger(FailureAudit.class);
    public static final Duration WINDOW = Duration.ofMinutes(1);
    /** Failures audited one by one per source address and window. */
    public static final int PER_SOURCE = 50;
    /** Failures audited one by one per window, all sources together. */
    public static final int OVERALL = 500;
    private static final int MAX_SOURCES = 100;

    private final AuditLog audit;
    private final Clock clock;
    private final FailureTally tally = new FailureTally(WINDOW, PER_SOURCE, OVERALL, MAX_SOURCES);
    private final ScheduledExecutorService flusher = Executors.newSingleThreadScheduledExecutor(
            Thread.ofVirtual().name("failure-audit").factory());

    public FailureAudit(AuditLog audit, Clock clock) {
        this.audit = audit;
        this.clock = clock;
        flusher.scheduleWithFixedDelay(this::flush, 1, 1, TimeUnit.SECONDS);
    }

    /** Audits the failure now (waiting for it to be committed), or counts it for a summary. */
    public void report(AuditEvent.Builder failure) {
        var event = failure.at(clock.instant());
        boolean now;
        synchronized (tally) {
            // Counted like the login throttle counts them: an IPv6 /64 is one source.
            now = tally.admit(event.action(), LockoutPolicy.sourceKey(event.sourceAddress()), event.target(), event.time());
        }
        if (now) audit.record(event);
    }

    /** Writes the summaries of windows that have ended. */
    void flush() {
        // A scheduled task that throws is never run again: a failed flush must not end the rest.
        try {
            List<FailureTally.Summary> due;
            synchronized (tally) {
                due = tally.due(clock.instant());
            }
            write(due);
        } catch (RuntimeException e) {
            log.error("could not write the summaries of suppressed failures; trying again in a second", e);
        }
    }

    /** On shutdown, nothing counted goes unsaid. */
    @Override
    public void destroy() {
        flusher.shutdownNow();
        List<FailureTally.Summary> rest;
        synchronized (tally) {
            rest = tally.drain(clock.instant());
        }
        write(rest);
    }

    private void write(List<FailureTally.Summary> summaries) {
        for (var s : summaries) {
            try {
                audit.record(AuditEvent.of(AuditEvent.Actor.system(), s.action() + ".suppressed", "source:" + s.source())
                        .source(s.source().equals(FailureTally.OTHER_SOURCES) ? null : s.source(), null)
                        .outcome(AuditEvent.Outcome.FAILURE)
                        .detail("count", s.count())
                        .detail("from", s.from())
                        .detail("until", s.until())
                        .detail("targets", String.join(", ", s.targets())));
            } catch (RuntimeException e) {
                log.error("could not audit {} suppressed {} failures from {}", s.count(), s.action(), s.source(), e);
            }
        }
    }
}

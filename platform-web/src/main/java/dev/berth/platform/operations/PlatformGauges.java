package dev.berth.platform.operations;

import dev.berth.platform.certificates.CertificateManager;
import dev.berth.platform.certificates.RoutedHosts;
import dev.berth.platform.hosts.HostProperties;
import dev.berth.platform.hosts.HostRecords;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Clock;
import java.util.function.Supplier;
import org.quartz.JobKey;
import org.quartz.Scheduler;
import org.quartz.SchedulerException;
import org.quartz.SimpleTrigger;
import org.quartz.impl.matchers.GroupMatcher;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.event.EventListener;
import org.springframework.stereotype.Component;

/**
 * The gauges read from the database when Prometheus scrapes: what queues across the cluster (one-off
 * job firings waiting in Quartz's store, ACME orders due) and hosts whose heartbeats are late. A
 * gauge that cannot be read (the database is away) reads NaN rather than failing the scrape.
 */
@Component
public class PlatformGauges {
    private static final System.Logger LOG = System.getLogger(PlatformGauges.class.getName());
    private final MeterRegistry meters;
    private final ObjectProvider<Scheduler> scheduler;

    public PlatformGauges(MeterRegistry meters, ObjectProvider<Scheduler> scheduler, HostRecords hosts, HostProperties hostProperties,
                          MetricsProperties properties, Clock clock, CertificateManager certificates,
                          ObjectProvider<RoutedHosts> routed) {
        this.meters = meters;
        this.scheduler = scheduler;
        gauge("berth.hosts.heartbeats.late", "Hosts whose last heartbeat is older than twice the interval but that are not lost yet",
                () -> LateHeartbeats.count(hosts.reporting().stream().map(HostRecords.Seen::lastHeartbeatAt).toList(),
                        properties.heartbeatInterval(), hostProperties.heartbeatTimeout(), clock.instant()));
        gauge("berth.acme.orders.pending", "Routed hosts waiting for an ACME certificate order (missing or due)", () -> {
            var r = routed.getIfAvailable();
            return r == null ? 0 : certificates.ordersPending(r.hosts());
        });
    }

    /** One gauge per job, once the scheduler holds them all: its one-off firings not yet started. */
    @EventListener(ApplicationReadyEvent.class)
    void jobQueues() throws SchedulerException {
        var s = scheduler.getIfAvailable();
        if (s == null) return;
        for (JobKey job : s.getJobKeys(GroupMatcher.anyJobGroup())) {
            Gauge.builder("berth.scheduler.requests.queued", () -> read(() -> oneOffFirings(s, job)))
                    .description("One-off firings of a job requested on any instance and not started yet (reconcile"
                            + " rounds asked for, repository syncs, certificate runs)")
                    .tag("job", job.getName()).register(meters);
        }
    }

    private static int oneOffFirings(Scheduler s, JobKey job) {
        try {
            // Scheduler.triggerJob adds a SimpleTrigger that fires once; the jobs' own ticks repeat.
            return (int) s.getTriggersOfJob(job).stream().filter(t -> t instanceof SimpleTrigger st && st.getRepeatCount() == 0).count();
        } catch (SchedulerException e) {
            throw new IllegalStateException(e.getMessage(), e);
        }
    }

    private void gauge(String name, String description, Supplier<Number> value) {
        Gauge.builder(name, () -> read(value)).description(description).register(meters);
    }

    private static Number read(Supplier<Number> value) {
        try {
            return value.get();
        } catch (RuntimeException e) {
            LOG.log(System.Logger.Level.DEBUG, "a gauge could not be read: " + e.getMessage());
            return Double.NaN;
        }
    }
}

package dev.berth.platform.operations;

import java.time.Duration;
import org.quartz.Scheduler;
import org.quartz.SchedulerException;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.stereotype.Component;

/**
 * Readiness: the Quartz scheduler runs (started, not paused or shut down) and, in the clustered
 * store, checked in lately. The check-in is Quartz's own proof that its store is reachable: it is
 * written every {@code clusterCheckinInterval} by a thread of the scheduler, so a store left wedged
 * after a database outage shows here as a check-in that stopped moving.
 */
@Component("schedulerHealthIndicator")
public class SchedulerHealth implements HealthIndicator {
    private final ObjectProvider<Scheduler> scheduler;
    private final DatabaseProbe probe;

    public SchedulerHealth(ObjectProvider<Scheduler> scheduler, DatabaseProbe probe) {
        this.scheduler = scheduler;
        this.probe = probe;
    }

    @Override
    public Health health() {
        var s = scheduler.getIfAvailable();
        if (s == null) return Health.down().withDetail("reason", "no scheduler").build();
        try {
            if (!s.isStarted() || s.isInStandbyMode() || s.isShutdown()) {
                return Health.down().withDetail("reason", "the scheduler is not running").build();
            }
            if (!s.getMetaData().isJobStoreClustered()) return Health.up().build();
            return checkedIn(s.getSchedulerName(), s.getSchedulerInstanceId());
        } catch (SchedulerException e) {
            return Health.down().withDetail("reason", "the scheduler cannot be asked: " + e.getMessage()).build();
        }
    }

    private Health checkedIn(String name, String instance) {
        try (var c = probe.open(); var st = c.prepareStatement(
                "SELECT last_checkin_time, checkin_interval FROM qrtz_scheduler_state WHERE sched_name = ? AND instance_name = ?")) {
            st.setString(1, name);
            st.setString(2, instance);
            try (var rs = st.executeQuery()) {
                if (!rs.next()) return Health.down().withDetail("reason", "this instance has not checked in to the cluster").build();
                // Quartz writes the wall clock of this same process, so it is compared with that clock.
                var age = Duration.ofMillis(System.currentTimeMillis() - rs.getLong(1));
                return CheckIn.fresh(age, Duration.ofMillis(rs.getLong(2))) ? Health.up().build()
                        : Health.down().withDetail("reason", "the scheduler last checked in " + age.toSeconds() + " s ago").build();
            }
        } catch (Exception e) {
            return Health.down().withDetail("reason", "the scheduler's store is unreachable").build();
        }
    }

    /** When a check-in counts as recent: within a few intervals, never less than ten seconds. */
    static final class CheckIn {
        private static final Duration AT_LEAST = Duration.ofSeconds(10);

        private CheckIn() {
        }

        static boolean fresh(Duration age, Duration interval) {
            var allowed = interval.multipliedBy(4);
            return age.compareTo(allowed.compareTo(AT_LEAST) < 0 ? AT_LEAST : allowed) <= 0;
        }
    }
}

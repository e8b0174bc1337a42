package dev.berth.platform.operations;

import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.stereotype.Component;

/** Readiness: PostgreSQL answers a query, through a connection of the probe's own. */
@Component("databaseHealthIndicator")
public class DatabaseHealth implements HealthIndicator {
    private final DatabaseProbe probe;

    public DatabaseHealth(DatabaseProbe probe) {
        this.probe = probe;
    }

    @Override
    public Health health() {
        try (var c = probe.open(); var st = c.createStatement()) {
            st.execute("SELECT 1");
            return Health.up().build();
        } catch (Exception e) {
            return Health.down().withDetail("reason", DatabaseOutage.SENTENCE).build();
        }
    }
}

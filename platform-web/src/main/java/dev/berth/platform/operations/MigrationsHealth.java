package dev.berth.platform.operations;

import org.flywaydb.core.Flyway;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.stereotype.Component;

/**
 * Readiness: every migration this build carries is applied. Once seen applied it stays so (nothing
 * un-applies a migration), so only checks before that ask Flyway, which reads its classpath and the
 * history table; the database's reachability is {@link DatabaseHealth}'s part.
 */
@Component("migrationsHealthIndicator")
public class MigrationsHealth implements HealthIndicator {
    private final ObjectProvider<Flyway> flyway;
    private volatile boolean applied;

    public MigrationsHealth(ObjectProvider<Flyway> flyway) {
        this.flyway = flyway;
    }

    @Override
    public Health health() {
        if (applied) return Health.up().build();
        var f = flyway.getIfAvailable();
        if (f == null) return Health.down().withDetail("reason", "no migrations configured").build();
        try {
            int pending = f.info().pending().length;
            if (pending > 0) return Health.down().withDetail("reason", pending + " migrations are not applied").build();
            applied = true;
            return Health.up().build();
        } catch (RuntimeException e) {
            return Health.down().withDetail("reason", "the migration history cannot be read").build();
        }
    }
}

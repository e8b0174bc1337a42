package dev.berth.platform.logs;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/**
 * Which apps exist: those the deployer has a deployment of (V7 {@code deployments}), removed ones
 * included, so what an edge served just before a removal is still taken.
 */
@Component
public class KnownApps {
    private final JdbcClient jdbc;

    public KnownApps(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    public boolean exists(String team, String app) {
        return jdbc.sql("""
                        SELECT EXISTS (SELECT 1 FROM deployments d JOIN teams t ON t.id = d.team_id WHERE t.name = ? AND d.app = ?)""")
                .params(team, app).query(Boolean.class).single();
    }
}

package dev.berth.platform.logs;

import java.util.Optional;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/**
 * Locates replicas in the deployer's record (V7 {@code replicas}), stopped ones included, so the
 * logs of a replica that was replaced stay readable for as long as they are kept.
 */
@Component
public class DeployedReplicaLocator implements ReplicaLocator {
    private final JdbcClient jdbc;

    public DeployedReplicaLocator(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    @Override
    public Optional<ReplicaLocation> locate(String replicaId) {
        return jdbc.sql("""
                        SELECT r.host_id, r.container, t.name AS team, r.app
                        FROM replicas r JOIN teams t ON t.id = r.team_id
                        WHERE r.id = ?""")
                .param(replicaId)
                .query((rs, n) -> new ReplicaLocation(rs.getString("host_id"), rs.getString("container"), rs.getString("team"),
                        rs.getString("app")))
                .optional();
    }
}

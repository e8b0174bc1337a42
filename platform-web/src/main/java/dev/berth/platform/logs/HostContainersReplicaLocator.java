package dev.berth.platform.logs;

import java.util.Optional;
import java.util.regex.Pattern;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/**
 * Locates replicas from the containers agents last reported (host_containers, V6), whose app is
 * {@code TEAM.APP}. Stands in until the deployer's replicas table answers; a container its host no
 * longer reports cannot be located, though its logs are kept for a while.
 */
@Component
public class HostContainersReplicaLocator implements ReplicaLocator {
    private static final Pattern TEAM_APP = Pattern.compile("([a-z]([a-z0-9-]{0,61}[a-z0-9])?)\\.([a-z]([a-z0-9-]{0,61}[a-z0-9])?)");
    private final JdbcClient jdbc;

    public HostContainersReplicaLocator(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    @Override
    public Optional<ReplicaLocation> locate(String replicaId) {
        record Reported(String hostId, String app) {
        }
        return jdbc.sql("SELECT host_id, app FROM host_containers WHERE name = ? ORDER BY reported_at DESC, host_id LIMIT 1")
                .param(replicaId).query((rs, n) -> new Reported(rs.getString("host_id"), rs.getString("app"))).optional()
                .flatMap(r -> {
                    var m = TEAM_APP.matcher(r.app());
                    return m.matches() ? Optional.of(new ReplicaLocation(r.hostId(), m.group(1), m.group(3))) : Optional.empty();
                });
    }
}

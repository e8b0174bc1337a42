package dev.berth.platform.hosts;

import dev.berth.agent.protocol.ContainerStatus;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/** Join tokens, hosts and their reported containers in PostgreSQL. */
@Component
public class HostStore {
    private final JdbcClient jdbc;

    public HostStore(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    /** A host row; {@code lastHeartbeatAt} is null until the first heartbeat. */
    public record Row(String id, String hostname, byte[] credentialHash, long memoryBytes, int cpuMillis,
                      String agentVersion, Instant registeredAt, Instant lastHeartbeatAt, long joinedWithToken) {
    }

    /** A container as last reported. */
    public record ContainerRow(String hostId, ContainerStatus status, Instant reportedAt) {
    }

    /** What is known of a join token, for saying in the audit log why it was refused. */
    public record TokenState(long id, Instant expiresAt, Instant usedAt, String usedByHost) {
    }

    public long insertJoinToken(byte[] hash, String createdBy, Instant now, Instant expiresAt) {
        return jdbc.sql("""
                INSERT INTO join_tokens (token_hash, created_by, created_at, expires_at) VALUES (?, ?, ?, ?) RETURNING id""")
                .params(hash, createdBy, Timestamp.from(now), Timestamp.from(expiresAt)).query(Long.class).single();
    }

    /** Locks an unused, unexpired join token for this transaction; empty if there is none with this hash. */
    public Optional<Long> lockUsableJoinToken(byte[] hash, Instant now) {
        return jdbc.sql("SELECT id FROM join_tokens WHERE token_hash = ? AND used_at IS NULL AND expires_at > ? FOR UPDATE")
                .params(hash, Timestamp.from(now)).query(Long.class).optional();
    }

    public Optional<TokenState> joinToken(byte[] hash) {
        return jdbc.sql("SELECT id, expires_at, used_at, used_by_host FROM join_tokens WHERE token_hash = ?").param(hash)
                .query((rs, n) -> new TokenState(rs.getLong("id"), instant(rs, "expires_at"), instant(rs, "used_at"),
                        rs.getString("used_by_host"))).optional();
    }

    public boolean markUsed(long tokenId, String hostId, Instant now) {
        return jdbc.sql("UPDATE join_tokens SET used_at = ?, used_by_host = ? WHERE id = ? AND used_at IS NULL")
                .params(Timestamp.from(now), hostId, tokenId).update() == 1;
    }

    public void insertHost(String id, String hostname, byte[] credentialHash, long memoryBytes, int cpuMillis,
                           String agentVersion, Instant now, long tokenId) {
        jdbc.sql("""
                INSERT INTO hosts (id, hostname, credential_hash, memory_bytes, cpu_millis, agent_version, registered_at,
                                   joined_with_token)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?)""")
                .params(id, hostname, credentialHash, memoryBytes, cpuMillis, agentVersion, Timestamp.from(now), tokenId)
                .update();
    }

    public Optional<Row> find(String id) {
        return jdbc.sql("SELECT * FROM hosts WHERE id = ?").param(id).query(HostStore::row).optional();
    }

    public List<Row> list() {
        return jdbc.sql("SELECT * FROM hosts ORDER BY hostname, id").query(HostStore::row).list();
    }

    /** Records a heartbeat: the capacity now, and the containers, which replace all reported before. */
    public void heartbeat(String hostId, long memoryBytes, int cpuMillis, List<ContainerStatus> containers, Instant now) {
        jdbc.sql("UPDATE hosts SET memory_bytes = ?, cpu_millis = ?, last_heartbeat_at = ? WHERE id = ?")
                .params(memoryBytes, cpuMillis, Timestamp.from(now), hostId).update();
        jdbc.sql("DELETE FROM host_containers WHERE host_id = ?").param(hostId).update();
        for (var c : containers) {
            jdbc.sql("""
                    INSERT INTO host_containers (host_id, name, app, state, exit_code, oom_killed, health, reported_at)
                    VALUES (?, ?, ?, ?, ?, ?, ?, ?)""")
                    .params(hostId, c.name(), c.app(), c.state(), c.exitCode(), c.oomKilled(), c.health(), Timestamp.from(now))
                    .update();
        }
    }

    /** Every reported container, by host id. */
    public Map<String, List<ContainerRow>> containers() {
        return jdbc.sql("SELECT * FROM host_containers ORDER BY host_id, name")
                .query((rs, n) -> new ContainerRow(rs.getString("host_id"), new ContainerStatus(rs.getString("name"),
                        rs.getString("app"), rs.getString("state"), (Integer) rs.getObject("exit_code"),
                        rs.getBoolean("oom_killed"), rs.getString("health")), instant(rs, "reported_at")))
                .list().stream().collect(Collectors.groupingBy(ContainerRow::hostId));
    }

    private static Row row(ResultSet rs, int n) throws SQLException {
        return new Row(rs.getString("id"), rs.getString("hostname"), rs.getBytes("credential_hash"), rs.getLong("memory_bytes"),
                rs.getInt("cpu_millis"), rs.getString("agent_version"), instant(rs, "registered_at"),
                instant(rs, "last_heartbeat_at"), rs.getLong("joined_with_token"));
    }

    private static Instant instant(ResultSet rs, String column) throws SQLException {
        Timestamp t = rs.getTimestamp(column);
        return t == null ? null : t.toInstant();
    }
}

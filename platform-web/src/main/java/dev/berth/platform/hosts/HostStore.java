package dev.berth.platform.hosts;

import dev.berth.agent.protocol.ContainerStatus;
import dev.berth.agent.protocol.IsolationCheck;
import dev.berth.agent.protocol.PublishedPort;
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
import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.json.JsonMapper;

/** Join tokens, hosts and their reported containers in PostgreSQL. */
@Component
public class HostStore {
    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final TypeReference<List<PublishedPort>> PUBLISHED = new TypeReference<>() {
    };
    private static final TypeReference<List<IsolationCheck>> ISOLATION = new TypeReference<>() {
    };
    private final JdbcClient jdbc;

    public HostStore(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    /**
     * A host row; {@code lastHeartbeatAt} is null until the first heartbeat, {@code generation}
     * counts changes to its assignment, {@code lostAt} is set while its heartbeats are missing.
     * {@code memoryBytes} and {@code cpuMillis} are what placement counts with: what the agent last
     * reported ({@code reported*}), at most the caps ({@code *Cap*}, what it registered).
     * {@code drainingSince} is set while it drains, {@code removedAt} once it was removed.
     * {@code edgeAddress} is set while its agent runs an edge.
     */
    public record Row(String id, String hostname, byte[] credentialHash, long memoryBytes, int cpuMillis,
                      String agentVersion, Instant registeredAt, Instant lastHeartbeatAt, long joinedWithToken,
                      long generation, Instant lostAt, long memoryCapBytes, int cpuCapMillis, long reportedMemoryBytes,
                      int reportedCpuMillis, Instant drainingSince, String drainingBy, Instant removedAt, String removedBy,
                      String edgeAddress, long edgeAppliedGeneration, String edgeError) {
        public boolean draining() {
            return drainingSince != null;
        }

        public boolean removed() {
            return removedAt != null;
        }
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
                                   joined_with_token, memory_cap_bytes, cpu_cap_millis, reported_memory_bytes, reported_cpu_millis)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)""")
                .params(id, hostname, credentialHash, memoryBytes, cpuMillis, agentVersion, Timestamp.from(now), tokenId,
                        memoryBytes, cpuMillis, memoryBytes, cpuMillis)
                .update();
    }

    public Optional<Row> find(String id) {
        return jdbc.sql("SELECT * FROM hosts WHERE id = ?").param(id).query(HostStore::row).optional();
    }

    /** The hosts that were not removed. */
    public List<Row> list() {
        return jdbc.sql("SELECT * FROM hosts WHERE removed_at IS NULL ORDER BY hostname, id").query(HostStore::row).list();
    }

    /** The host's row for this transaction, locked against a heartbeat, drain or removal meanwhile. */
    public Optional<Row> lock(String id) {
        return jdbc.sql("SELECT * FROM hosts WHERE id = ? FOR UPDATE").param(id).query(HostStore::row).optional();
    }

    /**
     * Records a heartbeat: the capacity reported, counted at most up to the host's caps, and the
     * containers, which replace all reported before. A removed host's heartbeat changes nothing.
     *
     * @return false when the host was removed (or is unknown)
     */
    public boolean heartbeat(String hostId, long memoryBytes, int cpuMillis, List<ContainerStatus> containers, Instant now) {
        int updated = jdbc.sql("""
                UPDATE hosts SET memory_bytes = LEAST(?, memory_cap_bytes), cpu_millis = LEAST(?, cpu_cap_millis),
                                 reported_memory_bytes = ?, reported_cpu_millis = ?, last_heartbeat_at = ?
                WHERE id = ? AND removed_at IS NULL""")
                .params(memoryBytes, cpuMillis, memoryBytes, cpuMillis, Timestamp.from(now), hostId).update();
        if (updated == 0) return false;
        jdbc.sql("DELETE FROM host_containers WHERE host_id = ?").param(hostId).update();
        for (var c : containers) {
            jdbc.sql("""
                    INSERT INTO host_containers (host_id, name, app, state, exit_code, oom_killed, health, reported_at,
                                                 restarts, published, isolation, error)
                    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?::jsonb, ?::jsonb, ?)""")
                    .params(hostId, c.name(), c.app(), c.state(), c.exitCode(), c.oomKilled(), c.health(), Timestamp.from(now),
                            c.restarts(), JSON.writeValueAsString(c.published()), JSON.writeValueAsString(c.isolation()),
                            c.error())
                    .update();
        }
        return true;
    }

    /** Starts draining the host; false when it already drains. */
    public boolean drain(String hostId, String by, Instant now) {
        return jdbc.sql("UPDATE hosts SET draining_since = ?, draining_by = ? WHERE id = ? AND draining_since IS NULL")
                .params(Timestamp.from(now), by, hostId).update() == 1;
    }

    /** Stops draining the host; false when it did not drain. */
    public boolean undrain(String hostId) {
        return jdbc.sql("UPDATE hosts SET draining_since = NULL, draining_by = NULL WHERE id = ? AND draining_since IS NOT NULL")
                .param(hostId).update() == 1;
    }

    /**
     * Marks the host removed, which ends its credential, and forgets what it reported. The row
     * stays: replicas and the audit log name it.
     *
     * @return false when it was removed already
     */
    public boolean remove(String hostId, String by, Instant now) {
        boolean removed = jdbc.sql("UPDATE hosts SET removed_at = ?, removed_by = ? WHERE id = ? AND removed_at IS NULL")
                .params(Timestamp.from(now), by, hostId).update() == 1;
        if (removed) jdbc.sql("DELETE FROM host_containers WHERE host_id = ?").param(hostId).update();
        return removed;
    }

    /** Every reported container, by host id. */
    public Map<String, List<ContainerRow>> containers() {
        return jdbc.sql("SELECT * FROM host_containers ORDER BY host_id, name").query(HostStore::container)
                .list().stream().collect(Collectors.groupingBy(ContainerRow::hostId));
    }

    /**
     * Keeps the address the host's agent reports for its peer listener.
     *
     * @return whether it differs from the one kept before
     */
    public boolean peerAddress(String hostId, String address) {
        return jdbc.sql("UPDATE hosts SET peer_address = ? WHERE id = ? AND peer_address IS DISTINCT FROM ?")
                .params(address, hostId, address).update() == 1;
    }

    /** The peer address of every host that reported one, removed hosts included, by host id. */
    public Map<String, String> peerAddresses() {
        var out = new java.util.HashMap<String, String>();
        jdbc.sql("SELECT id, peer_address FROM hosts WHERE peer_address IS NOT NULL")
                .query(rs -> {
                    out.put(rs.getString("id"), rs.getString("peer_address"));
                });
        return out;
    }

    /** The hosts of {@code ids}, removed or not, in one query; unknown ids are left out. */
    public List<Row> findAll(java.util.Collection<String> ids) {
        if (ids.isEmpty()) return List.of();
        return jdbc.sql("SELECT * FROM hosts WHERE id = ANY(?)").param(ids.toArray(String[]::new)).query(HostStore::row).list();
    }

    /**
     * What the hosts of {@code hostIds} last reported of the containers {@code names}, in one
     * query; containers not reported are left out.
     */
    public List<ContainerRow> containersNamed(java.util.Collection<String> hostIds, java.util.Collection<String> names) {
        if (hostIds.isEmpty() || names.isEmpty()) return List.of();
        return jdbc.sql("SELECT * FROM host_containers WHERE host_id = ANY(?) AND name = ANY(?)")
                .params(hostIds.toArray(String[]::new), names.toArray(String[]::new)).query(HostStore::container).list();
    }

    /** What one host reported in its latest heartbeat, by container name. */
    public Map<String, ContainerRow> containersOf(String hostId) {
        return jdbc.sql("SELECT * FROM host_containers WHERE host_id = ?").param(hostId).query(HostStore::container)
                .list().stream().collect(Collectors.toMap(c -> c.status().name(), c -> c));
    }

    /**
     * Moves the host's assignment to its next generation; agents waiting on the current one wake up.
     *
     * @return the new generation
     */
    public long bumpGeneration(String hostId) {
        return jdbc.sql("UPDATE hosts SET generation = generation + 1 WHERE id = ? RETURNING generation").param(hostId)
                .query(Long.class).single();
    }

    /**
     * Moves the assignments of {@code hostIds} to their next generation in one statement, locking
     * their rows in id order first (the order every writer of several hosts takes them in).
     */
    public void bumpGenerations(List<String> hostIds) {
        if (hostIds.isEmpty()) return;
        jdbc.sql("""
                WITH locked AS (SELECT id FROM hosts WHERE id = ANY(?::text[]) ORDER BY id FOR UPDATE)
                UPDATE hosts h SET generation = h.generation + 1 FROM locked WHERE h.id = locked.id""")
                .param(hostIds.toArray(String[]::new)).update();
    }

    /** The host's assignment generation, or empty for an unknown host. */
    public Optional<Long> generation(String hostId) {
        return jdbc.sql("SELECT generation FROM hosts WHERE id = ?").param(hostId).query(Long.class).optional();
    }

    /** Every host's assignment generation, by host id. */
    public Map<String, Long> generations() {
        var out = new java.util.HashMap<String, Long>();
        jdbc.sql("SELECT id, generation FROM hosts").query(rs -> {
            out.put(rs.getString(1), rs.getLong(2));
        });
        return out;
    }

    /** Marks the host lost; false when it already was, so each loss is noticed once. */
    public boolean markLost(String hostId, Instant at) {
        return jdbc.sql("UPDATE hosts SET lost_at = ? WHERE id = ? AND lost_at IS NULL").params(Timestamp.from(at), hostId)
                .update() == 1;
    }

    /** Clears the lost mark; false when it was not set. */
    public boolean markReturned(String hostId) {
        return jdbc.sql("UPDATE hosts SET lost_at = NULL WHERE id = ? AND lost_at IS NOT NULL").param(hostId).update() == 1;
    }

    private static ContainerRow container(ResultSet rs, int n) throws SQLException {
        return new ContainerRow(rs.getString("host_id"), new ContainerStatus(rs.getString("name"), rs.getString("app"),
                rs.getString("state"), (Integer) rs.getObject("exit_code"), rs.getBoolean("oom_killed"), rs.getString("health"),
                rs.getInt("restarts"), JSON.readValue(rs.getString("published"), PUBLISHED),
                JSON.readValue(rs.getString("isolation"), ISOLATION), rs.getString("error")), instant(rs, "reported_at"));
    }

    private static Row row(ResultSet rs, int n) throws SQLException {
        return new Row(rs.getString("id"), rs.getString("hostname"), rs.getBytes("credential_hash"), rs.getLong("memory_bytes"),
                rs.getInt("cpu_millis"), rs.getString("agent_version"), instant(rs, "registered_at"),
                instant(rs, "last_heartbeat_at"), rs.getLong("joined_with_token"), rs.getLong("generation"),
                instant(rs, "lost_at"), rs.getLong("memory_cap_bytes"), rs.getInt("cpu_cap_millis"),
                rs.getLong("reported_memory_bytes"), rs.getInt("reported_cpu_millis"), instant(rs, "draining_since"),
                rs.getString("draining_by"), instant(rs, "removed_at"), rs.getString("removed_by"), rs.getString("edge_address"),
                rs.getLong("edge_applied_generation"), rs.getString("edge_error"));
    }

    private static Instant instant(ResultSet rs, String column) throws SQLException {
        Timestamp t = rs.getTimestamp(column);
        return t == null ? null : t.toInstant();
    }
}

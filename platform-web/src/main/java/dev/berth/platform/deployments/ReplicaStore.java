package dev.berth.platform.deployments;

import dev.berth.agent.protocol.ContainerStatus;
import dev.berth.deployer.Replica;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/**
 * Replicas (the rows host assignments are made of) in PostgreSQL. Only this feature uses it; others
 * read through {@link AppDeployments}.
 */
@Component
public class ReplicaStore {
    private static final String SELECT = """
            SELECT r.id, r.container, r.team_id, t.name AS team, r.app, r.revision_id, r.deployment_id, r.host_id, r.created_at,
                   r.stop_requested_at, r.stop_reason, r.observed_state, r.observed_since, r.first_reported_at, r.serving,
                   r.start_error, r.start_failed_at
            FROM replicas r JOIN teams t ON t.id = r.team_id""";
    private final JdbcClient jdbc;

    public ReplicaStore(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    /** Every replica that is part of an assignment. */
    public List<ReplicaRow> live() {
        return jdbc.sql(SELECT + " WHERE r.stop_requested_at IS NULL ORDER BY r.id").query(ReplicaStore::row).list();
    }

    /** The replicas assigned to one host. */
    public List<ReplicaRow> liveOn(String hostId) {
        return jdbc.sql(SELECT + " WHERE r.stop_requested_at IS NULL AND r.host_id = ? ORDER BY r.id").param(hostId)
                .query(ReplicaStore::row).list();
    }

    /** The replicas of one app that are part of an assignment. */
    public List<ReplicaRow> liveOf(long teamId, String app) {
        return jdbc.sql(SELECT + " WHERE r.stop_requested_at IS NULL AND r.team_id = ? AND r.app = ? ORDER BY r.id")
                .params(teamId, app).query(ReplicaStore::row).list();
    }

    /** The replicas of one team that are part of an assignment. */
    public List<ReplicaRow> liveOfTeam(long teamId) {
        return jdbc.sql(SELECT + " WHERE r.stop_requested_at IS NULL AND r.team_id = ? ORDER BY r.app, r.id").param(teamId)
                .query(ReplicaStore::row).list();
    }

    /** Every replica the app ever had, newest first, stopped ones included. */
    public List<ReplicaRow> historyOf(long teamId, String app, int limit) {
        return jdbc.sql(SELECT + " WHERE r.team_id = ? AND r.app = ? ORDER BY r.created_at DESC, r.id DESC LIMIT ?")
                .params(teamId, app, limit).query(ReplicaStore::row).list();
    }

    public Optional<ReplicaRow> find(long teamId, String app, String id) {
        return jdbc.sql(SELECT + " WHERE r.team_id = ? AND r.app = ? AND r.id = ?").params(teamId, app, id)
                .query(ReplicaStore::row).optional();
    }

    /**
     * Inserts a new replica, STARTING since {@code now}, under {@code id} or, when a stopped replica
     * already had that id, under {@code id-1}, {@code id-2}, ...: ids and container names are never reused.
     *
     * @param serving whether it takes traffic once healthy, or waits for a traffic switch
     * @return the id it got
     */
    public String insert(String id, long teamId, String app, long revision, long deploymentId, String hostId, Instant now,
                         boolean serving) {
        String candidate = id;
        for (int n = 1; exists(candidate); n++) candidate = id + "-" + n;
        jdbc.sql("""
                INSERT INTO replicas (id, container, team_id, app, revision_id, deployment_id, host_id, created_at,
                                      observed_state, observed_since, serving)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, 'STARTING', ?, ?)""")
                .params(candidate, AgentNames.container(candidate), teamId, app, revision, deploymentId, hostId,
                        Timestamp.from(now), Timestamp.from(now), serving)
                .update();
        return candidate;
    }

    /**
     * A round's new replicas, as {@link #insert} would insert them one by one, in two statements
     * however many there are: which ids are taken, then one insert. Only an id a stopped replica
     * already had costs more (it looks for the next free {@code id-N}).
     */
    void insertAll(List<RoundDecision.StartReplica> starts, Instant now) {
        if (starts.isEmpty()) return;
        var taken = new HashSet<>(jdbc.sql("SELECT id FROM replicas WHERE id = ANY(?::text[])")
                .param(starts.stream().map(RoundDecision.StartReplica::replicaId).toArray(String[]::new)).query(String.class).list());
        var ids = new ArrayList<String>();
        var chosen = new HashSet<String>();
        for (var s : starts) {
            String candidate = s.replicaId();
            for (int n = 1; taken.contains(candidate) || chosen.contains(candidate); n++) {
                candidate = s.replicaId() + "-" + n;
                if (exists(candidate)) taken.add(candidate);
            }
            ids.add(candidate);
            chosen.add(candidate);
        }
        jdbc.sql("""
                INSERT INTO replicas (id, container, team_id, app, revision_id, deployment_id, host_id, created_at,
                                      observed_state, observed_since, serving)
                SELECT u.id, u.container, u.team_id, u.app, u.revision_id, u.deployment_id, u.host_id, ?, 'STARTING', ?, u.serving
                FROM unnest(?::text[], ?::text[], ?::bigint[], ?::text[], ?::bigint[], ?::bigint[], ?::text[], ?::boolean[])
                     AS u(id, container, team_id, app, revision_id, deployment_id, host_id, serving)""")
                .params(Timestamp.from(now), Timestamp.from(now), ids.toArray(String[]::new),
                        ids.stream().map(AgentNames::container).toArray(String[]::new),
                        starts.stream().map(RoundDecision.StartReplica::teamId).toArray(Long[]::new),
                        starts.stream().map(RoundDecision.StartReplica::app).toArray(String[]::new),
                        starts.stream().map(RoundDecision.StartReplica::revision).toArray(Long[]::new),
                        starts.stream().map(RoundDecision.StartReplica::deploymentId).toArray(Long[]::new),
                        starts.stream().map(RoundDecision.StartReplica::hostId).toArray(String[]::new),
                        starts.stream().map(RoundDecision.StartReplica::serving).toArray(Boolean[]::new))
                .update();
    }

    /** Takes a round's replicas out of their hosts' assignments in one statement (those already out stay as they are). */
    void requestStops(List<RoundDecision.StopReplica> stops, Instant now) {
        if (stops.isEmpty()) return;
        jdbc.sql("""
                UPDATE replicas r SET stop_requested_at = ?, stop_reason = u.reason
                FROM unnest(?::text[], ?::text[]) AS u(id, reason) WHERE r.id = u.id AND r.stop_requested_at IS NULL""")
                .params(Timestamp.from(now), stops.stream().map(RoundDecision.StopReplica::replicaId).toArray(String[]::new),
                        stops.stream().map(RoundDecision.StopReplica::reason).toArray(String[]::new))
                .update();
    }

    /** Lets replicas into traffic (a traffic switch); their hosts' generations must move with it. */
    public void serve(Collection<String> ids) {
        if (ids.isEmpty()) return;
        jdbc.sql("UPDATE replicas SET serving = true WHERE id = ANY(?::text[]) AND stop_requested_at IS NULL")
                .param(ids.toArray(String[]::new)).update();
    }

    /** Keeps why its host could not start the replica (a checked report: at most {@link ContainerStatus#MAX_ERROR} characters). */
    public void startFailed(String id, String error, Instant at) {
        jdbc.sql("UPDATE replicas SET start_error = ?, start_failed_at = ? WHERE id = ?").params(error, Timestamp.from(at), id)
                .update();
    }

    /** The replica of the app's revision whose start failed last, stopped ones included. */
    public Optional<ReplicaRow> lastFailedStart(long teamId, String app, long revision) {
        return jdbc.sql(SELECT + """
                 WHERE r.team_id = ? AND r.app = ? AND r.revision_id = ? AND r.start_error IS NOT NULL
                ORDER BY r.start_failed_at DESC, r.id DESC LIMIT 1""").params(teamId, app, revision)
                .query(ReplicaStore::row).optional();
    }

    private boolean exists(String id) {
        return jdbc.sql("SELECT 1 FROM replicas WHERE id = ?").param(id).query((rs, n) -> 1).optional().isPresent();
    }

    /** Takes a replica out of its host's assignment; its host, or empty when it was already out. */
    public Optional<String> requestStop(String id, String reason, Instant now) {
        return jdbc.sql("""
                UPDATE replicas SET stop_requested_at = ?, stop_reason = ? WHERE id = ? AND stop_requested_at IS NULL
                RETURNING host_id""").params(Timestamp.from(now), reason, id).query(String.class).optional();
    }

    /** Records a new observed state. */
    public void observe(String id, Replica.State state, Instant since) {
        jdbc.sql("UPDATE replicas SET observed_state = ?, observed_since = ? WHERE id = ?").params(state.name(),
                Timestamp.from(since), id).update();
    }

    /** Notes the first heartbeat that listed the replica. */
    public void firstReported(String id, Instant at) {
        jdbc.sql("UPDATE replicas SET first_reported_at = ? WHERE id = ? AND first_reported_at IS NULL")
                .params(Timestamp.from(at), id).update();
    }

    /** The hosts that run replicas of the app, in id order (the order host rows are locked in). */
    public List<String> hostsOf(long teamId, String app) {
        return jdbc.sql("SELECT DISTINCT host_id FROM replicas WHERE stop_requested_at IS NULL AND team_id = ? AND app = ? ORDER BY host_id")
                .params(teamId, app).query(String.class).list();
    }

    private static ReplicaRow row(ResultSet rs, int n) throws SQLException {
        return new ReplicaRow(rs.getString("id"), rs.getString("container"), rs.getLong("team_id"), rs.getString("team"),
                rs.getString("app"), rs.getLong("revision_id"), rs.getLong("deployment_id"), rs.getString("host_id"),
                instant(rs, "created_at"), instant(rs, "stop_requested_at"), rs.getString("stop_reason"),
                Replica.State.valueOf(rs.getString("observed_state")), instant(rs, "observed_since"),
                instant(rs, "first_reported_at"), rs.getBoolean("serving"), rs.getString("start_error"),
                instant(rs, "start_failed_at"));
    }

    private static Instant instant(ResultSet rs, String column) throws SQLException {
        Timestamp t = rs.getTimestamp(column);
        return t == null ? null : t.toInstant();
    }
}

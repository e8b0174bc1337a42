package dev.berth.platform.deployments;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/** Deployments in PostgreSQL. Only this feature uses it; others read through {@link AppDeployments}. */
@Component
public class DeploymentStore {
    /** A deployment row's columns and the joins they come from. */
    private static final String COLUMNS_FROM = """
            d.id, d.team_id, t.name AS team, d.app, d.revision_id, v.commit_id, d.kind, d.state, d.created_by, d.reason,
                   d.started_at, d.finished_at, nullif(concat_ws('; ', d.message, d.handovers), '') AS message
            FROM deployments d JOIN teams t ON t.id = d.team_id JOIN revisions v ON v.id = d.revision_id""";
    private static final String SELECT = "SELECT " + COLUMNS_FROM;
    private final JdbcClient jdbc;

    public DeploymentStore(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    /** A deployment with its team's id. */
    public record Row(long teamId, Deployment deployment) {
        public long id() {
            return deployment.id();
        }

        public String app() {
            return deployment.app();
        }

        public long revision() {
            return deployment.revision();
        }
    }

    public long insert(long teamId, String app, long revision, Deployment.Kind kind, String by, String reason, Instant now,
                       String message) {
        return jdbc.sql("""
                INSERT INTO deployments (team_id, app, revision_id, kind, state, created_by, reason, started_at, message)
                VALUES (?, ?, ?, ?, 'in-progress', ?, ?, ?, ?) RETURNING id""")
                .params(teamId, app, revision, kind.value(), by, reason, Timestamp.from(now), message)
                .query(Long.class).single();
    }

    public Optional<Row> find(long id) {
        return jdbc.sql(SELECT + " WHERE d.id = ?").param(id).query(DeploymentStore::row).optional();
    }

    /** The app's newest deployment: the one that says what it should run. */
    public Optional<Row> newest(long teamId, String app) {
        return jdbc.sql(SELECT + " WHERE d.team_id = ? AND d.app = ? ORDER BY d.id DESC LIMIT 1").params(teamId, app)
                .query(DeploymentStore::row).optional();
    }

    /** The newest deployment of every app, by team and app. */
    public List<Row> newestOfEveryApp() {
        return jdbc.sql("""
                SELECT * FROM (SELECT DISTINCT ON (d.team_id, d.app) %s ORDER BY d.team_id, d.app, d.id DESC) newest
                ORDER BY team, app""".formatted(COLUMNS_FROM)).query(DeploymentStore::row).list();
    }

    /** The newest deployment of every app of one team, by app. */
    public List<Row> newestOfTeam(long teamId) {
        return jdbc.sql("SELECT DISTINCT ON (d.app) %s WHERE d.team_id = ? ORDER BY d.app, d.id DESC".formatted(COLUMNS_FROM))
                .param(teamId).query(DeploymentStore::row).list();
    }

    /**
     * For each app of {@code newest}, its newest succeeded deployment of a revision other than its
     * newest deployment's: where an auto-rollback goes. Read in one query; apps with none are not in the map.
     */
    Map<RoundSnapshot.AppKey, Row> lastSucceededOf(List<Row> newest) {
        var out = new HashMap<RoundSnapshot.AppKey, Row>();
        if (newest.isEmpty()) return out;
        jdbc.sql("""
                SELECT DISTINCT ON (d.team_id, d.app) %s
                JOIN unnest(?::bigint[], ?::text[], ?::bigint[]) AS n(team_id, app, revision_id)
                  ON n.team_id = d.team_id AND n.app = d.app AND d.revision_id <> n.revision_id
                WHERE d.state = 'succeeded' AND d.kind <> 'remove'
                ORDER BY d.team_id, d.app, d.id DESC""".formatted(COLUMNS_FROM))
                .params(newest.stream().map(Row::teamId).toArray(Long[]::new), newest.stream().map(Row::app).toArray(String[]::new),
                        newest.stream().map(Row::revision).toArray(Long[]::new))
                .query(DeploymentStore::row).list()
                .forEach(d -> out.put(RoundSnapshot.AppKey.of(d), d));
        return out;
    }

    /** The app's deployments, newest first. */
    public List<Row> timeline(long teamId, String app, int limit) {
        return jdbc.sql(SELECT + " WHERE d.team_id = ? AND d.app = ? ORDER BY d.id DESC LIMIT ?").params(teamId, app, limit)
                .query(DeploymentStore::row).list();
    }

    /** Ends an in-progress deployment; false when it had already ended. */
    public boolean finish(long id, Deployment.State state, String message, Instant at) {
        return jdbc.sql("UPDATE deployments SET state = ?, message = ?, finished_at = ? WHERE id = ? AND state = 'in-progress'")
                .params(state.value(), message, Timestamp.from(at), id).update() == 1;
    }

    /**
     * Ends in-progress deployments as succeeded, in one statement: {@code messages} by deployment
     * id. Returns the ids it ended (not those that had ended already).
     */
    public List<Long> succeedAll(Map<Long, String> messages, Instant at) {
        if (messages.isEmpty()) return List.of();
        return jdbc.sql("""
                UPDATE deployments d SET state = 'succeeded', message = m.message, finished_at = ?
                FROM unnest(?::bigint[], ?::text[]) AS m(id, message)
                WHERE d.id = m.id AND d.state = 'in-progress' RETURNING d.id""")
                .params(Timestamp.from(at), messages.keySet().toArray(Long[]::new), messages.values().toArray(String[]::new))
                .query(Long.class).list();
    }

    /** Marks a succeeded deployment as rolled back; false when it was not the succeeded one. */
    public boolean markRolledBack(long id) {
        return jdbc.sql("UPDATE deployments SET state = 'rolled-back' WHERE id = ? AND state = 'succeeded'").param(id).update() == 1;
    }

    /** Ends every in-progress deployment of the app older than {@code newer} as superseded; their ids. */
    public List<Long> supersede(long teamId, String app, long newer, Instant at) {
        return jdbc.sql("""
                UPDATE deployments SET state = 'superseded', finished_at = ?,
                       message = 'superseded by deployment ' || ? || coalesce(': ' || message, '')
                WHERE team_id = ? AND app = ? AND id < ? AND state = 'in-progress' RETURNING id""")
                .params(Timestamp.from(at), newer, teamId, app, newer).query(Long.class).list();
    }

    /**
     * Says what in-progress deployments are doing, in one statement: {@code messages} by deployment id.
     * Returns the ids whose message changed (not those that ended, or already said that).
     */
    public List<Long> progress(Map<Long, String> messages) {
        if (messages.isEmpty()) return List.of();
        return jdbc.sql("""
                UPDATE deployments d SET message = m.message FROM unnest(?::bigint[], ?::text[]) AS m(id, message)
                WHERE d.id = m.id AND d.state = 'in-progress' AND d.message IS DISTINCT FROM m.message RETURNING d.id""")
                .params(messages.keySet().toArray(Long[]::new), messages.values().toArray(String[]::new))
                .query(Long.class).list();
    }

    /** Appends to a deployment's message, whatever its state. */
    public void note(long id, String more) {
        jdbc.sql("UPDATE deployments SET message = coalesce(message || '; ', '') || ? WHERE id = ?").params(more, id).update();
    }

    /** A team's app, by name. */
    public record TeamApp(String team, String app) {
    }

    /**
     * Adds {@code handover} to every deployment that was in progress at {@code at}, kept beside its
     * message (which rounds rewrite) and shown after it; the apps concerned.
     */
    public List<TeamApp> noteHandover(Instant at, String handover) {
        return jdbc.sql("""
                UPDATE deployments d SET handovers = concat_ws('; ', d.handovers, ?) FROM teams t
                WHERE t.id = d.team_id AND d.started_at <= ? AND (d.finished_at IS NULL OR d.finished_at >= ?)
                RETURNING t.name, d.app""").params(handover, Timestamp.from(at), Timestamp.from(at))
                .query((rs, n) -> new TeamApp(rs.getString(1), rs.getString(2))).list();
    }

    /** The revision the repository recorded just before {@code revision}, if any. */
    public Optional<Long> previousRevision(long repositoryId, long revision) {
        return jdbc.sql("SELECT max(id) FROM revisions WHERE repository_id = ? AND id < ?").params(repositoryId, revision)
                .query((rs, n) -> (Long) rs.getObject(1)).optional().filter(java.util.Objects::nonNull);
    }

    /** The apps a repository owns (claimed by its first revision that defined them). */
    public List<String> appsOwnedBy(long repositoryId) {
        return jdbc.sql("SELECT app FROM app_owners WHERE repository_id = ? ORDER BY app").param(repositoryId)
                .query(String.class).list();
    }

    /** Serialises changes to one app's deployments across transactions and platform instances. */
    public void lockApp(long teamId, String app) {
        jdbc.sql("SELECT pg_advisory_xact_lock(?, hashtext(?))").params(Locks.APP, teamId + "/" + app)
                .query((rs, n) -> 1).single();
    }

    private static Row row(ResultSet rs, int n) throws SQLException {
        Timestamp finished = rs.getTimestamp("finished_at");
        return new Row(rs.getLong("team_id"), new Deployment(rs.getLong("id"), rs.getString("team"), rs.getString("app"),
                rs.getLong("revision_id"), rs.getString("commit_id"), Deployment.Kind.of(rs.getString("kind")),
                Deployment.State.of(rs.getString("state")), rs.getString("created_by"), rs.getString("reason"),
                rs.getTimestamp("started_at").toInstant(), finished == null ? null : finished.toInstant(),
                rs.getString("message")));
    }
}

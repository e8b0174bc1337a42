package dev.berth.uitests;

import dev.berth.gitsync.definition.DefinitionLimits;
import dev.berth.gitsync.definition.DefinitionParser;
import dev.berth.gitsync.definition.ParseResult;
import dev.berth.platform.deployments.AgentNames;
import dev.berth.platform.repositories.DefinitionJson;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import javax.sql.DataSource;

/**
 * Writes, in JDBC batches, what a fleet of settled apps leaves in the database: hosts that joined
 * with a token and report their containers, one push per team recording a revision that defines
 * the team's apps, each app's succeeded push deployment, and its replicas, healthy and serving, with
 * the containers their hosts reported. Rows are the ones the platform's own stores write for that
 * history (repositories, hosts, deployments and replicas), so the reconciler finds nothing to do.
 */
final class DashboardSeed {
    private static final String DIGEST = "sha256:" + "ab".repeat(32);
    private final DataSource dataSource;
    private final String image;

    DashboardSeed(DataSource dataSource, String image) {
        this.dataSource = dataSource;
        this.image = image;
    }

    /** The apps of one team: {@code PREFIX-000} ... */
    static List<String> apps(String prefix, int count) {
        var out = new ArrayList<String>();
        for (int i = 0; i < count; i++) out.add("%s-%03d".formatted(prefix, i));
        return out;
    }

    /** Hosts {@code h-<tag>NNNN} (ids of 12 characters), heartbeating now. */
    List<String> hosts(String tag, int count, Instant now) throws SQLException {
        var ids = new ArrayList<String>();
        try (Connection c = dataSource.getConnection()) {
            c.setAutoCommit(false);
            try (var token = c.prepareStatement("""
                    INSERT INTO join_tokens (token_hash, created_by, created_at, expires_at, used_at)
                    VALUES (?, 'admin', ?, ?, NULL) RETURNING id""");
                 var host = c.prepareStatement("""
                         INSERT INTO hosts (id, hostname, credential_hash, memory_bytes, cpu_millis, agent_version, registered_at,
                                            joined_with_token, memory_cap_bytes, cpu_cap_millis, reported_memory_bytes,
                                            reported_cpu_millis, last_heartbeat_at)
                         VALUES (?, ?, ?, ?, ?, 'bench', ?, ?, ?, ?, ?, ?, ?)""");
                 var used = c.prepareStatement("UPDATE join_tokens SET used_at = ?, used_by_host = ? WHERE id = ?")) {
                for (int i = 0; i < count; i++) {
                    String id = "h-%s%04d".formatted(tag, i);
                    token.setBytes(1, sha256(id + "-token"));
                    token.setTimestamp(2, Timestamp.from(now));
                    token.setTimestamp(3, Timestamp.from(now.plusSeconds(3600)));
                    long tokenId;
                    try (var rs = token.executeQuery()) {
                        rs.next();
                        tokenId = rs.getLong(1);
                    }
                    long memory = 64L << 30;
                    int cpu = 32_000;
                    host.setString(1, id);
                    host.setString(2, "node-" + tag + "-" + i);
                    host.setBytes(3, sha256(id + "-credential"));
                    host.setLong(4, memory);
                    host.setInt(5, cpu);
                    host.setTimestamp(6, Timestamp.from(now));
                    host.setLong(7, tokenId);
                    host.setLong(8, memory);
                    host.setInt(9, cpu);
                    host.setLong(10, memory);
                    host.setInt(11, cpu);
                    host.setTimestamp(12, Timestamp.from(now));
                    host.executeUpdate();
                    used.setTimestamp(1, Timestamp.from(now));
                    used.setString(2, id);
                    used.setLong(3, tokenId);
                    used.executeUpdate();
                    ids.add(id);
                }
            }
            c.commit();
        }
        return ids;
    }

    /**
     * One push to {@code team}'s {@code repository} defining {@code apps} ({@code replicas} each),
     * their succeeded deployments and their healthy replicas, placed round robin on {@code hosts}
     * starting at {@code firstHost}.
     */
    void team(String team, String repository, List<String> apps, int replicas, List<String> hosts, int firstHost, Instant now)
            throws SQLException {
        var yaml = new StringBuilder("apiVersion: berth/v1\napps:\n");
        for (String app : apps) {
            yaml.append("  ").append(app).append(":\n    image: ").append(image).append("\n    replicas: ").append(replicas)
                    .append("\n    resources: {memory: 64Mi, cpu: 0.1, pids: 64}\n    ports: [{name: http, port: 8080, publish: true}]\n    health: {http: {port: http, path: /}}\n");
        }
        var parsed = DefinitionParser.parse("berth.yaml", yaml.toString().getBytes(StandardCharsets.UTF_8), DefinitionLimits.DEFAULTS);
        if (!(parsed instanceof ParseResult.Valid valid)) throw new IllegalStateException("seed berth.yaml is invalid: " + parsed);
        try (Connection c = dataSource.getConnection()) {
            c.setAutoCommit(false);
            long teamId = id(c, "SELECT id FROM teams WHERE name = ?", team);
            long repositoryId = id(c, "SELECT id FROM repositories WHERE team_id = " + teamId + " AND name = ?", repository);
            long revision;
            try (var s = c.prepareStatement("""
                    INSERT INTO revisions (repository_id, commit_id, branch, author, committer, subject, pushed_by, signature,
                                           definition_yaml, definition, created_at)
                    VALUES (?, ?, 'main', 'Bench <bench@example.com>', 'Bench <bench@example.com>', 'Seed', 'admin', 'none', ?, ?::jsonb, ?)
                    RETURNING id""")) {
                s.setLong(1, repositoryId);
                s.setString(2, HexFormat.of().formatHex(sha256(team + "/" + repository)).substring(0, 40));
                s.setString(3, yaml.toString());
                s.setString(4, DefinitionJson.write(valid.definition()));
                s.setTimestamp(5, Timestamp.from(now));
                try (var rs = s.executeQuery()) {
                    rs.next();
                    revision = rs.getLong(1);
                }
            }
            try (var revisionApp = c.prepareStatement(
                    "INSERT INTO revision_apps (revision_id, team_id, app, image, image_digest) VALUES (?, ?, ?, ?, ?)");
                 var owner = c.prepareStatement("INSERT INTO app_owners (team_id, app, repository_id) VALUES (?, ?, ?)");
                 var deployment = c.prepareStatement("""
                         INSERT INTO deployments (team_id, app, revision_id, kind, state, created_by, started_at, finished_at, message)
                         VALUES (?, ?, ?, 'push', 'succeeded', 'admin', ?, ?, ?) RETURNING id""");
                 var replica = c.prepareStatement("""
                         INSERT INTO replicas (id, container, team_id, app, revision_id, deployment_id, host_id, created_at,
                                               observed_state, observed_since, first_reported_at, serving)
                         VALUES (?, ?, ?, ?, ?, ?, ?, ?, 'HEALTHY', ?, ?, true)""");
                 var container = c.prepareStatement("""
                         INSERT INTO host_containers (host_id, name, app, state, exit_code, oom_killed, health, reported_at,
                                                      restarts, published, isolation, error)
                         VALUES (?, ?, ?, 'running', NULL, false, 'healthy', ?, 0, ?::jsonb, '[]'::jsonb, NULL)""")) {
                int next = firstHost;
                for (String app : apps) {
                    revisionApp.setLong(1, revision);
                    revisionApp.setLong(2, teamId);
                    revisionApp.setString(3, app);
                    revisionApp.setString(4, image);
                    revisionApp.setString(5, DIGEST);
                    revisionApp.addBatch();
                    owner.setLong(1, teamId);
                    owner.setString(2, app);
                    owner.setLong(3, repositoryId);
                    owner.addBatch();
                    deployment.setLong(1, teamId);
                    deployment.setString(2, app);
                    deployment.setLong(3, revision);
                    deployment.setTimestamp(4, Timestamp.from(now));
                    deployment.setTimestamp(5, Timestamp.from(now));
                    deployment.setString(6, replicas + " of " + replicas + " replicas healthy");
                    long deploymentId;
                    try (var rs = deployment.executeQuery()) {
                        rs.next();
                        deploymentId = rs.getLong(1);
                    }
                    for (int i = 0; i < replicas; i++) {
                        String host = hosts.get(next++ % hosts.size());
                        String id = team + "." + app + "." + revision + "." + i;
                        replica(replica, id, teamId, app, revision, deploymentId, host, now);
                        container.setString(1, host);
                        container.setString(2, AgentNames.container(id));
                        container.setString(3, AgentNames.app(team, app));
                        container.setTimestamp(4, Timestamp.from(now));
                        container.setString(5, "[{\"containerPort\":8080,\"address\":\"127.0.0.1:" + (20000 + next % 10000)
                                + "\",\"serving\":true}]");
                        container.addBatch();
                    }
                }
                revisionApp.executeBatch();
                owner.executeBatch();
                replica.executeBatch();
                container.executeBatch();
            }
            c.commit();
        }
    }

    private static void replica(PreparedStatement s, String id, long teamId, String app, long revision, long deploymentId,
                                String host, Instant now) throws SQLException {
        s.setString(1, id);
        s.setString(2, AgentNames.container(id));
        s.setLong(3, teamId);
        s.setString(4, app);
        s.setLong(5, revision);
        s.setLong(6, deploymentId);
        s.setString(7, host);
        s.setTimestamp(8, Timestamp.from(now));
        s.setTimestamp(9, Timestamp.from(now));
        s.setTimestamp(10, Timestamp.from(now));
        s.addBatch();
    }

    private static long id(Connection c, String sql, String name) throws SQLException {
        try (var s = c.prepareStatement(sql)) {
            s.setString(1, name);
            try (var rs = s.executeQuery()) {
                if (!rs.next()) throw new IllegalStateException("no row for " + name + ": " + sql);
                return rs.getLong(1);
            }
        }
    }

    private static byte[] sha256(String text) {
        try {
            return java.security.MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
        } catch (java.security.NoSuchAlgorithmException impossible) {
            throw new IllegalStateException(impossible);
        }
    }
}

package dev.berth.platform.metrics;

import dev.berth.gitsync.definition.Definition;
import dev.berth.gitsync.definition.DefinitionLimits;
import dev.berth.gitsync.definition.DefinitionParser;
import dev.berth.gitsync.definition.ParseResult;
import dev.berth.platform.deployments.AgentNames;
import dev.berth.platform.repositories.DefinitionJson;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import javax.sql.DataSource;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * A benchmark fleet straight in the database: {@code hosts} hosts of {@code perHost} live replicas
 * each, in apps of 10 replicas (berth.yaml's most) spread over teams, replica {@code k} on host
 * {@code k % hosts}; and synthetic samples written at fixed times, one statement per resolution and
 * range, as the heartbeats and roll-ups would have left them.
 */
final class MetricsFleet {
    static final int REPLICAS_PER_APP = 10;
    static final String PREFIX = "mbench-";

    /** A seeded replica: what a heartbeat names (container) and what a stored row carries. */
    record Replica(String id, String container, long teamId, String app, String hostId) {
    }

    final List<Replica> replicas;
    final int hosts;

    private MetricsFleet(List<Replica> replicas, int hosts) {
        this.replicas = replicas;
        this.hosts = hosts;
    }

    static String hostId(int h) {
        return "h-mbench%06d".formatted(h); // the hosts table wants h- and 12 of [0-9a-z]
    }

    static String team(int t) {
        return PREFIX + t;
    }

    static String app(int a) {
        return "app-" + a;
    }

    /** The replicas reported by host {@code h}. */
    List<Replica> on(int h) {
        var out = new ArrayList<Replica>();
        for (int k = h; k < replicas.size(); k += hosts) out.add(replicas.get(k));
        return out;
    }

    /** The first {@code n} replicas' ids (whole apps first: app 0's replicas are 0..9). */
    String[] firstIds(int n) {
        return replicas.stream().limit(n).map(Replica::id).toArray(String[]::new);
    }

    static MetricsFleet seed(JdbcClient jdbc, DataSource dataSource, int hosts, int perHost, int teams, Instant at) throws Exception {
        var now = Timestamp.from(at);
        for (int h = 0; h < hosts; h++) {
            String id = hostId(h);
            long token = jdbc.sql("""
                    INSERT INTO join_tokens (token_hash, created_by, created_at, expires_at)
                    VALUES (?, 'bench', ?, ?) RETURNING id""").params(sha256(id), now, Timestamp.from(at.plusSeconds(3600)))
                    .query(Long.class).single();
            jdbc.sql("""
                    INSERT INTO hosts (id, hostname, credential_hash, memory_bytes, cpu_millis, memory_cap_bytes, cpu_cap_millis,
                                       agent_version, registered_at, last_heartbeat_at, joined_with_token)
                    VALUES (?, ?, ?, ?, ?, ?, ?, 'bench', ?, ?, ?)""")
                    .params(id, PREFIX + h, sha256("credential " + id), 1L << 40, 1_000_000, 1L << 40, 1_000_000, now, now, token)
                    .update();
        }
        var teamIds = new long[teams];
        for (int t = 0; t < teams; t++) {
            teamIds[t] = jdbc.sql("INSERT INTO teams (name, created_at) VALUES (?, ?) RETURNING id").params(team(t), now)
                    .query(Long.class).single();
        }
        int total = hosts * perHost;
        int apps = Math.ceilDiv(total, REPLICAS_PER_APP);
        var replicas = new ArrayList<Replica>();
        var revisionApps = new ArrayList<Object[]>();
        var replicaRows = new ArrayList<Object[]>();
        var batch = new JdbcTemplate(dataSource);
        // One repository (and revision) per 10 apps, repositories round robin over the teams.
        for (int first = 0; first < apps; first += 10) {
            int repo = first / 10;
            long teamId = teamIds[repo % teams];
            long repositoryId = jdbc.sql("""
                    INSERT INTO repositories (team_id, name, kind, deploy_branch, definition_path, created_at, created_by)
                    VALUES (?, ?, 'HOSTED', 'main', 'berth.yaml', ?, 'admin') RETURNING id""")
                    .params(teamId, "repo-" + repo, now).query(Long.class).single();
            int count = Math.min(10, apps - first);
            var yaml = new StringBuilder("apiVersion: berth/v1\napps:\n");
            for (int a = first; a < first + count; a++) {
                yaml.append("  ").append(app(a)).append(":\n    image: busybox:1\n    replicas: ").append(REPLICAS_PER_APP).append('\n');
            }
            var parsed = DefinitionParser.parse("berth.yaml", yaml.toString().getBytes(StandardCharsets.UTF_8), DefinitionLimits.DEFAULTS);
            if (!(parsed instanceof ParseResult.Valid(Definition definition))) throw new AssertionError(parsed.toString());
            long revision = jdbc.sql("""
                    INSERT INTO revisions (repository_id, commit_id, branch, author, committer, subject, pushed_by, signature,
                                           definition_yaml, definition, created_at)
                    VALUES (?, ?, 'main', 'Ada', 'Ada', 'bench', 'admin', 'unsigned', ?, ?::jsonb, ?) RETURNING id""")
                    .params(repositoryId, "a".repeat(40), yaml.toString(), DefinitionJson.write(definition), now).query(Long.class).single();
            for (int a = first; a < first + count; a++) {
                revisionApps.add(new Object[] {revision, teamId, app(a), "busybox:1", "sha256:" + "ab".repeat(32)});
                long deployment = jdbc.sql("""
                        INSERT INTO deployments (team_id, app, revision_id, kind, state, created_by, started_at, finished_at, message)
                        VALUES (?, ?, ?, 'push', 'succeeded', 'admin', ?, ?, 'seeded') RETURNING id""")
                        .params(teamId, app(a), revision, now, now).query(Long.class).single();
                for (int i = 0; i < REPLICAS_PER_APP && a * REPLICAS_PER_APP + i < total; i++) {
                    int k = a * REPLICAS_PER_APP + i;
                    String id = team(repo % teams) + "." + app(a) + "." + revision + "." + i;
                    var r = new Replica(id, AgentNames.container(id), teamId, app(a), hostId(k % hosts));
                    replicas.add(r);
                    replicaRows.add(new Object[] {id, r.container(), teamId, r.app(), revision, deployment, r.hostId(), now, now, now});
                }
            }
        }
        batch.batchUpdate("INSERT INTO revision_apps (revision_id, team_id, app, image, image_digest) VALUES (?, ?, ?, ?, ?)", revisionApps);
        batch.batchUpdate("""
                INSERT INTO replicas (id, container, team_id, app, revision_id, deployment_id, host_id, created_at, observed_state,
                                      observed_since, first_reported_at, serving)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, 'HEALTHY', ?, ?, true)""", replicaRows);
        jdbc.sql("ANALYZE").update();
        return new MetricsFleet(replicas, hosts);
    }

    /**
     * Writes the samples {@code ids} would have at {@code resolution} for every slot or bucket
     * starting in {@code [from, to)}, in one statement: counters growing with time (a replica using
     * about a twentieth of a core, a few KB/s of traffic), gauges varying by replica and slot; in
     * time order, as heartbeats and roll-ups add them.
     *
     * @return the rows written
     */
    static int write(JdbcClient jdbc, String[] ids, Resolution resolution, Instant from, Instant to) {
        if (!from.isBefore(to)) return 0;
        return jdbc.sql("""
                INSERT INTO replica_metrics (replica_id, resolution_seconds, at, team_id, app, cpu_nanos, memory_bytes,
                                             memory_limit_bytes, pids, rx_bytes, tx_bytes, restarts)
                SELECT r.id, ?, s.at, r.team_id, r.app,
                       (extract(epoch FROM s.at)::bigint - 1700000000) * 50000000 + abs(hashtext(r.id)) % 1000000,
                       (200 + abs(hashtext(r.id || s.at::text)) % 300)::bigint << 20, 1073741824,
                       10 + abs(hashtext(r.id)) % 40,
                       (extract(epoch FROM s.at)::bigint - 1700000000) * 4000, (extract(epoch FROM s.at)::bigint - 1700000000) * 9000, 0
                FROM replicas r CROSS JOIN generate_series(?::timestamptz, ?::timestamptz, make_interval(secs => ?)) AS s(at)
                WHERE r.id = ANY(?::text[])
                ORDER BY s.at, r.id""")
                .params(resolution.seconds(), Timestamp.from(from), Timestamp.from(to.minusSeconds(1)), resolution.seconds(), ids)
                .update();
    }

    /** The steady state of a week's history at {@code now}: each resolution's window, as maintenance leaves it. */
    static void writeWeek(JdbcClient jdbc, String[] ids, Instant now) {
        for (Resolution r : Resolution.values()) {
            Instant end = r == Resolution.RAW ? now : r.bucketOf(now.minus(MetricsMaintenance.LATE));
            // Per day, so that one statement's sort and WAL stay moderate.
            for (Instant from = r.bucketOf(now.minus(r.retention())); from.isBefore(end); from = from.plus(Duration.ofDays(1))) {
                Instant to = from.plus(Duration.ofDays(1)).isBefore(end) ? from.plus(Duration.ofDays(1)) : end;
                write(jdbc, ids, r, from, to);
            }
            if (r != Resolution.RAW) {
                jdbc.sql("""
                        INSERT INTO replica_metric_rollups (resolution_seconds, done_until) VALUES (?, ?)
                        ON CONFLICT (resolution_seconds) DO UPDATE SET done_until = excluded.done_until""")
                        .params(r.seconds(), Timestamp.from(end)).update();
            }
        }
    }

    private static byte[] sha256(String text) throws Exception {
        return MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
    }
}

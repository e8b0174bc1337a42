package dev.berth.platform.deployments;

import static org.assertj.core.api.Assertions.assertThat;

import dev.berth.platform.Api;
import dev.berth.platform.DeployedApps;
import dev.berth.platform.PlatformTest;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.ApplicationContext;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

/** A round's starts and stops, written in a statement each, land as one by one would: ids never reused, stops once. */
class ReplicaBatchesTest extends PlatformTest {
    private static final AtomicInteger UNIQUE = new AtomicInteger();

    @LocalServerPort
    int port;
    @Autowired
    ApplicationContext context;
    @Autowired
    ReplicaStore replicas;
    @Autowired
    JdbcClient jdbc;
    @Autowired
    PlatformTransactionManager transactions;
    @Autowired
    DeploymentStore deployments;
    @Autowired
    dev.berth.platform.hosts.HostRecords hosts;

    @Test
    void startsTakeTheNextFreeIdAndStopsLandOnce() {
        var admin = Api.at(port).bearer(Api.at(port).tokenFor("admin", ADMIN_PASSWORD));
        String team = "batches-" + UNIQUE.incrementAndGet();
        assertThat(admin.post("/api/v1/teams", Map.of("name", team)).status()).isEqualTo(201);
        assertThat(admin.post("/api/v1/teams/" + team + "/repositories", Map.of("name", "deploy")).status()).isEqualTo(201);
        String host;
        try (var agent = SimulatedAgent.join(admin, team + "-host")) {
            host = agent.hostId;
        }
        var seeded = DeployedApps.in(context).seed(team, "deploy", "web", host);
        // Under the reconciler's lock, so no round stops these replicas of an app that asks for none; rolled back after.
        var tx = new TransactionTemplate(transactions);
        tx.executeWithoutResult(status -> {
            // Waits for a round under way (the tick's, or one a push asked for) rather than failing beside it.
            assertThat(jdbc.sql("SELECT true FROM (SELECT pg_advisory_xact_lock(?, 0)) AS locked").param(Locks.RECONCILER)
                    .query(Boolean.class).single()).isTrue();
            check(team, host, seeded.revision());
            checkEndsAndMoves(team, host, seeded.revision());
            status.setRollbackOnly();
        });
    }

    private void check(String team, String host, long revision) {
        String gone = team + ".web.1.0";
        var now = Instant.now().truncatedTo(ChronoUnit.MILLIS);
        long deployment = jdbc.sql("SELECT max(id) FROM deployments WHERE app = 'web' AND team_id = ?").param(teamId(team))
                .query(Long.class).single();
        replicas.insert(gone, teamId(team), "web", revision, deployment, host, now, true);
        var before = replicas.find(teamId(team), "web", gone).orElseThrow();
        replicas.requestStops(List.of(new RoundDecision.StopReplica(gone, "replaced", before)), now);

        var start = (java.util.function.BiFunction<String, Boolean, RoundDecision.StartReplica>) (id, serving) ->
                new RoundDecision.StartReplica(id, before.teamId(), team, "web", revision, before.deploymentId(), host, serving);
        // The stopped replica's id is taken: the new one gets the next free one; the same id twice in a round gets two.
        replicas.insertAll(List.of(start.apply(gone, true), start.apply(team + ".web.1.1", false), start.apply(team + ".web.1.1", true)), now);

        var live = replicas.liveOf(teamId(team), "web");
        assertThat(live).extracting(ReplicaRow::id).containsExactly(gone + "-1", team + ".web.1.1", team + ".web.1.1-1");
        assertThat(live).extracting(ReplicaRow::serving).containsExactly(true, false, true);
        assertThat(live).allSatisfy(r -> {
            assertThat(r.container()).isEqualTo(AgentNames.container(r.id()));
            assertThat(r.hostId()).isEqualTo(host);
            assertThat(r.createdAt()).isEqualTo(now);
        });

        // A stop lands once: its first reason stays.
        replicas.requestStops(List.of(new RoundDecision.StopReplica(team + ".web.1.1", "scaled down", null)), now);
        replicas.requestStops(List.of(new RoundDecision.StopReplica(team + ".web.1.1", "again", null)), now.plusSeconds(1));
        var stopped = replicas.find(teamId(team), "web", team + ".web.1.1").orElseThrow();
        assertThat(stopped.stopReason()).isEqualTo("scaled down");
        assertThat(stopped.stopRequestedAt()).isEqualTo(now);
        assertThat(replicas.find(teamId(team), "web", gone).orElseThrow().stopReason()).isEqualTo("replaced");
    }

    /** Deployments that succeed, replicas let in and host generations, each a statement however many, land as one by one would. */
    private void checkEndsAndMoves(String team, String host, long revision) {
        var now = Instant.now().truncatedTo(ChronoUnit.MILLIS);
        long teamId = teamId(team);
        long going = deployments.insert(teamId, "web", revision, Deployment.Kind.PUSH, "admin", null, now, "rolling out");
        long ended = deployments.insert(teamId, "web", revision, Deployment.Kind.PUSH, "admin", null, now, null);
        assertThat(deployments.finish(ended, Deployment.State.FAILED, "health gate", now)).isTrue();
        // Only the one still in progress ends; the other keeps how it ended.
        assertThat(deployments.succeedAll(new java.util.LinkedHashMap<>(Map.of(going, "all run", ended, "all run")), now.plusSeconds(1)))
                .containsExactly(going);
        assertThat(deployments.find(going).orElseThrow().deployment()).satisfies(d -> {
            assertThat(d.state()).isEqualTo(Deployment.State.SUCCEEDED);
            assertThat(d.message()).isEqualTo("all run");
            assertThat(d.finishedAt()).isEqualTo(now.plusSeconds(1));
        });
        assertThat(deployments.find(ended).orElseThrow().deployment()).satisfies(d -> {
            assertThat(d.state()).isEqualTo(Deployment.State.FAILED);
            assertThat(d.message()).isEqualTo("health gate");
        });

        // Let in: only replicas still part of an assignment.
        String held = replicas.insert(team + ".web.9.0", teamId, "web", revision, going, host, now, false);
        String out = replicas.insert(team + ".web.9.1", teamId, "web", revision, going, host, now, false);
        replicas.requestStops(List.of(new RoundDecision.StopReplica(out, "replaced", null)), now);
        replicas.serve(List.of(held, out));
        assertThat(replicas.find(teamId, "web", held).orElseThrow().serving()).isTrue();
        assertThat(replicas.find(teamId, "web", out).orElseThrow().serving()).isFalse();

        long generation = hosts.generation(host).orElseThrow();
        hosts.bumpGenerations(List.of(host));
        assertThat(hosts.generation(host)).contains(generation + 1);
    }

    private long teamId(String team) {
        return jdbc.sql("SELECT id FROM teams WHERE name = ?").param(team).query(Long.class).single();
    }
}

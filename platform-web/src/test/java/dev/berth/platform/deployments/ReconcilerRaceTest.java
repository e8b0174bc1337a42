package dev.berth.platform.deployments;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.Connection;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

/**
 * Two platform instances on one database must never both apply a round: the round holds an
 * advisory lock, so a round that finds it taken does nothing, and racing rounds start each replica once.
 */
class ReconcilerRaceTest extends DeployTest {
    @Autowired
    Reconciler reconciler;

    private long replicasOf(String team) {
        return jdbc.sql("SELECT count(*) FROM replicas r JOIN teams t ON t.id = r.team_id WHERE t.name = ?").param(team)
                .query(Long.class).single();
    }

    /** Another instance's round in progress: a transaction that holds the reconciler's lock. */
    private Connection holdTheLock() throws Exception {
        Connection other = database().connect();
        other.setAutoCommit(false);
        try (var st = other.prepareStatement("SELECT pg_advisory_xact_lock(?, 0)")) {
            st.setInt(1, Locks.RECONCILER);
            st.execute();
        }
        return other;
    }

    @Test
    void whileAnotherRoundHoldsTheLockARoundDoesNothingAndRacingRoundsStartEachReplicaOnce() throws Exception {
        var a = agent("a");
        var b = agent("b");
        onlyTheseHostsAlive(a, b);
        String team = team();
        Connection other = holdTheLock();
        try {
            push(team, """
                    apiVersion: berth/v1
                    apps:
                      web:
                        image: %s
                        replicas: 5
                        deploy: {maxSurge: 5}
                    """.formatted(image));
            assertThat(reconciler.runOnce()).isInstanceOf(Reconciler.Skipped.class);
            assertThat(replicasOf(team)).isZero();
        } finally {
            other.rollback();
            other.close();
        }

        var start = new CyclicBarrier(8);
        List<Future<Reconciler.Outcome>> rounds = new ArrayList<>();
        try (var pool = Executors.newVirtualThreadPerTaskExecutor()) {
            for (int i = 0; i < 8; i++) {
                rounds.add(pool.submit(() -> {
                    start.await();
                    return reconciler.runOnce();
                }));
            }
        }
        for (var r : rounds) assertThat(r.get()).isInstanceOfAny(Reconciler.Ran.class, Reconciler.Skipped.class);
        eventually(() -> assertThat(state(team, "web")).isEqualTo("succeeded"));
        var ids = jdbc.sql("SELECT r.id FROM replicas r JOIN teams t ON t.id = r.team_id WHERE t.name = ?").param(team)
                .query(String.class).list();
        // A start applied twice would show as a sixth replica, or as an id moved aside to "-1".
        assertThat(ids).as("each start applied once").hasSize(5).doesNotHaveDuplicates()
                .allSatisfy(id -> assertThat(id).matches(java.util.regex.Pattern.quote(team) + "\\.web\\.\\d+\\.[0-4]"));
        retire(team);
    }

    @Test
    void aDeploymentThatRunsAsAskedBeforeAnyRoundSaidSoSucceedsRatherThanBeingSuperseded() throws Exception {
        var a = agent("a");
        onlyTheseHostsAlive(a);
        String team = team();
        String yaml = """
                apiVersion: berth/v1
                apps:
                  web:
                    image: %s
                    env: {VERSION: %s}
                """;
        push(team, yaml.formatted(image, "one"));
        eventually(() -> assertThat(state(team, "web")).isEqualTo("succeeded"));
        // As if the round that would say so had not run yet: in progress, while it runs as asked.
        jdbc.sql("""
                UPDATE deployments SET state = 'in-progress', finished_at = NULL
                WHERE team_id = (SELECT id FROM teams WHERE name = ?)""").param(team).update();
        Connection other = holdTheLock();
        long first;
        try {
            first = jdbc.sql("SELECT d.id FROM deployments d JOIN teams t ON t.id = d.team_id WHERE t.name = ?")
                    .param(team).query(Long.class).single();
            push(team, yaml.formatted(image, "two"));
        } finally {
            other.rollback();
            other.close();
        }
        assertThat(jdbc.sql("SELECT state FROM deployments WHERE id = ?").param(first).query(String.class).single())
                .as("the first deployment, which ran as asked when the second was pushed").isEqualTo("succeeded");
        retire(team);
    }
}

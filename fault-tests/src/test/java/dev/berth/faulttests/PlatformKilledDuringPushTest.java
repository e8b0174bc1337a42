package dev.berth.faulttests;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The platform killed with SIGKILL during {@code git push}, at a random moment of each of a series
 * of pushes ({@code berth.faults.push-kills}, 3 by default; {@code berth.faults.seed} repeats a
 * series), then started again: each push either fully happened (deploy branch moved to its commit,
 * revision recorded, push audited) or not at all, and the audit chain verifies.
 */
@ExtendWith(ProcessLogs.class)
class PlatformKilledDuringPushTest {
    private static final int KILLS = Integer.getInteger("berth.faults.push-kills", 3);
    private static FaultCluster cluster;

    /** What is left of one push after the kill and the restart. */
    record Outcome(int push, String commit, long killAfterMillis, boolean gitSucceeded, boolean branchHasIt,
                   boolean revisionRecorded, boolean audited, String gitOutput) {
        boolean whole() {
            return branchHasIt == revisionRecorded && revisionRecorded == audited && (!gitSucceeded || audited);
        }
    }

    @BeforeAll
    static void start() throws Exception {
        cluster = FaultCluster.start(1, 0, Duration.ofSeconds(30), 0);
    }

    @AfterAll
    static void stop() throws Exception {
        if (cluster != null) cluster.close();
    }

    @Test
    void everyPushCutByAKillEitherFullyHappenedOrNotAtAll() throws Exception {
        var platform = cluster.instances.getFirst();
        long seed = Long.getLong("berth.faults.seed", System.nanoTime());
        var random = new Random(seed);
        // A warm push that is not cut short sets the span the kills fall in (the first one is cold).
        cluster.push(platform, WebApp.definition(cluster.image, "zero", 1, 0), "Warm up");
        long started = System.nanoTime();
        cluster.push(platform, WebApp.definition(cluster.image, "one", 1, 0), "Measure");
        long pushMillis = (System.nanoTime() - started) / 1_000_000;

        var outcomes = new ArrayList<Outcome>();
        for (int i = 1; i <= KILLS; i++) {
            String commit = cluster.commit(WebApp.definition(cluster.image, "push-" + i, 1, 0), "Push " + i);
            long killAfter = (long) (random.nextDouble() * pushMillis * 1.2);
            var git = Git.start(cluster.work, cluster.checkout, "push", cluster.remote(platform), "HEAD:refs/heads/main");
            Thread.sleep(killAfter);
            platform.kill();
            String output = new String(git.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            boolean gitSucceeded = git.waitFor(30, TimeUnit.SECONDS) && git.exitValue() == 0;
            platform.start();
            outcomes.add(new Outcome(i, commit, killAfter, gitSucceeded, branchHas(commit), revisionRecorded(commit),
                    audited(commit), output.strip()));
        }
        System.out.printf("[faults] seed %d, an uncut push took %d ms; outcomes:%n  %s%n", seed, pushMillis,
                String.join("\n  ", outcomes.stream().map(Outcome::toString).toList()));
        assertThat(outcomes).as("pushes cut by a kill (seed %d): each whole or not at all", seed).allMatch(Outcome::whole);
        assertThat(cluster.api().get("/api/v1/audit/verify").path("intact").asBoolean()).as("the audit chain verifies").isTrue();
        // And the platform takes pushes again.
        FaultCluster.revisionOf(cluster.push(platform, WebApp.definition(cluster.image, "after", 1, 0), "After the kills"));
    }

    private static boolean branchHas(String commit) throws Exception {
        var git = Git.start(cluster.work, cluster.work, "--git-dir", cluster.work.resolve("git").resolve(FaultCluster.TEAM)
                .resolve(FaultCluster.REPOSITORY + ".git").toString(), "merge-base", "--is-ancestor", commit, "refs/heads/main");
        git.getInputStream().readAllBytes();
        return git.waitFor() == 0;
    }

    private static boolean revisionRecorded(String commit) throws Exception {
        try (var c = cluster.postgres.superuser(); var st = c.prepareStatement("SELECT count(*) FROM revisions WHERE commit_id = ?")) {
            st.setString(1, commit);
            try (var rs = st.executeQuery()) {
                rs.next();
                return rs.getLong(1) > 0;
            }
        }
    }

    private static boolean audited(String commit) throws Exception {
        List<String> lines = cluster.api().text("/api/v1/audit").lines()
                .filter(l -> l.contains("\"repository.push\"") && l.contains(commit)).toList();
        return lines.stream().anyMatch(l -> !l.toLowerCase().contains("\"failure\""));
    }
}

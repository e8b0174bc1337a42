package dev.berth.platform.deployments;

import static org.assertj.core.api.Assertions.assertThat;

import dev.berth.agent.protocol.AssignedContainer;
import dev.berth.agent.protocol.ContainerSpec;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.stream.StreamSupport;
import org.junit.jupiter.api.Test;
import org.quartz.Scheduler;
import org.springframework.beans.factory.annotation.Autowired;
import tools.jackson.databind.JsonNode;

/**
 * From {@code git push} to replicas reported serving, over real HTTP with simulated agents: rolling
 * and blue-green rollouts, an unchanged app left alone, a failed health gate rolled back, a lost
 * host's replicas placed elsewhere, and a manual rollback that holds until a push changes the app.
 */
class PushToServingTest extends DeployTest {

    private String withWorker(String yaml, String workerVersion) {
        return yaml + """
                  worker:
                    image: %s
                    env: {VERSION: %s}
                """.formatted(image, workerVersion);
    }

    /** Whether each live replica of the revision may take traffic, by id. */
    private List<Boolean> servingByRevision(String team, long revision) {
        return jdbc.sql("""
                SELECT r.serving FROM replicas r JOIN teams t ON t.id = r.team_id
                WHERE t.name = ? AND r.revision_id = ? AND r.stop_requested_at IS NULL ORDER BY r.id""")
                .params(team, revision).query(Boolean.class).list();
    }

    /** The most replicas of the app assigned at one instant, over its whole history. */
    private static int mostAtOnce(List<History> rows) {
        int most = 0;
        for (var at : rows) {
            int n = (int) rows.stream().filter(r -> !r.created().isAfter(at.created())
                    && (r.stopped() == null || r.stopped().isAfter(at.created()))).count();
            most = Math.max(most, n);
        }
        return most;
    }

    @Test
    void aPushRollsOutOverBothHostsAndTheNextOneReplacesItAFewAtATime() throws Exception {
        var a = agent("a");
        var b = agent("b");
        onlyTheseHostsAlive(a, b);
        String team = team();

        long first = push(team, web(2, "one", ""));
        succeededAt(team, "web", first);
        var detail = app(team, "web");
        assertThat(detail.get("desired").asInt()).isEqualTo(2);
        assertThat(detail.get("differences")).isEmpty();
        var replicas = list(detail.get("replicas"));
        assertThat(replicas).hasSize(2).allSatisfy(r -> {
            assertThat(r.get("state").asString()).isEqualTo("HEALTHY");
            assertThat(r.get("revision").asLong()).isEqualTo(first);
            assertThat(r.get("published").get(0).get("address").asString()).startsWith("127.0.0.1:");
        });
        assertThat(replicas.stream().map(r -> r.get("hostId").asString()).distinct()).as("spread over both hosts")
                .containsExactlyInAnyOrder(a.hostId, b.hostId);
        assertThat(replicas.stream().map(r -> r.get("hostname").asString()))
                .containsExactlyInAnyOrder(a.hostname, b.hostname);

        // What an agent was asked to run: the pinned image, the team-unique app, a port for the agent to pick.
        ContainerSpec spec = a.containers().values().iterator().next().spec();
        assertThat(spec.image()).startsWith(registry.host() + "/acme/web@sha256:");
        assertThat(spec.app()).isEqualTo(team + ".web");
        assertThat(spec.name()).isEqualTo(AgentNames.container(spec.name())).startsWith(team + ".web." + first + ".");
        assertThat(spec.ports()).containsExactly(new ContainerSpec.PortPublish(null, 0, 8080));
        assertThat(spec.env()).containsEntry("VERSION", "one");
        assertThat(spec.restart()).isEqualTo(ContainerSpec.RestartPolicy.ON_FAILURE);

        // The dashboard hears of it.
        assertThat(appChanges.heard).contains(new AppChanged(team, "web"));
        var isolation = admin.get("/api/v1/teams/" + team + "/apps/web/replicas/" + replicas.getFirst().get("id").asString()
                + "/isolation");
        expect(200, isolation);
        assertThat(isolation.json().get("passed").asBoolean()).isTrue();
        assertThat(list(isolation.json().get("checks"))).extracting(c -> c.get("name").asString())
                .containsExactly("no_new_privs", "read_only_root");
        expect(404, admin.get("/api/v1/teams/" + team + "/apps/web/replicas/nope/isolation"));

        var list = admin.get("/api/v1/teams/" + team + "/apps");
        expect(200, list);
        var summary = list(list.json()).stream().filter(s -> s.get("name").asString().equals("web")).findFirst().orElseThrow();
        assertThat(summary.get("healthy").asInt()).isEqualTo(2);
        assertThat(summary.get("desired").asInt()).isEqualTo(2);
        assertThat(list(summary.get("hosts")).stream().map(JsonNode::asString)).containsExactlyInAnyOrder(a.hostname, b.hostname);
        assertThat(summary.get("lastDeployment").get("state").asString()).isEqualTo("succeeded");

        long second = push(team, web(2, "two", ""));
        succeededAt(team, "web", second);
        var rows = history(team, "web");
        assertThat(rows.stream().filter(r -> r.stopped() == null)).hasSize(2).allMatch(r -> r.revision() == second);
        assertThat(rows.stream().filter(r -> r.revision() == first))
                .allSatisfy(r -> assertThat(r.reason()).isEqualTo("replaced by revision " + second));
        assertThat(mostAtOnce(rows)).as("maxSurge 1 over 2 replicas").isLessThanOrEqualTo(3);
        assertThat(a.containers().values()).extracting(c -> c.spec().env().get("VERSION")).containsOnly("two");
        assertThat(b.containers().values()).extracting(c -> c.spec().env().get("VERSION")).containsOnly("two");

        var timeline = list(deployments(team, "web"));
        assertThat(timeline).extracting(d -> d.get("revision").asLong()).containsExactly(second, first);
        assertThat(timeline).extracting(d -> d.get("kind").asString()).containsOnly("push");
        assertThat(timeline).extracting(d -> d.get("createdBy").asString()).containsOnly("admin/" + tokenId());
        assertThat(audit("deployment.create")).contains("app:" + team + "/web").contains("\"revision\":\"" + second + "\"");
        assertThat(audit("deployment.succeed")).contains("app:" + team + "/web");

        // A revision that no longer defines the app removes it.
        retire(team);
        eventually(() -> assertThat(app(team, "web").get("deployment").get("kind").asString()).isEqualTo("remove"));
        eventually(() -> assertThat(state(team, "web")).isEqualTo("succeeded"));
        assertThat(app(team, "web").get("replicas")).isEmpty();
        assertThat(history(team, "web")).allSatisfy(r -> assertThat(r.stopped()).isNotNull());
        eventually(() -> assertThat(a.containers().keySet()).noneMatch(n -> n.startsWith(team + ".web.")));
    }

    @Autowired
    Scheduler scheduler;

    /**
     * A push, the heartbeat that reports its replica healthy and the rollout's next step each run a
     * round at once, on the instance they reached: none waits for Quartz, here held in standby.
     */
    @Test
    void aRolloutRunsItsRoundsWithoutTheScheduler() throws Exception {
        var a = agent("a");
        onlyTheseHostsAlive(a);
        String team = team();
        long first = push(team, web(1, "one", ""));
        succeededAt(team, "web", first);
        scheduler.standby();
        try {
            long second = push(team, web(1, "two", ""));
            succeededAt(team, "web", second);
            assertThat(history(team, "web").stream().filter(r -> r.stopped() == null))
                    .singleElement().satisfies(r -> assertThat(r.revision()).isEqualTo(second));
            eventually(() -> assertThat(a.containers().values()).extracting(c -> c.spec().env().get("VERSION")).containsOnly("two"));
        } finally {
            scheduler.start();
        }
        retire(team);
    }

    private String tokenId() {
        return adminToken.substring("berth_".length(), adminToken.indexOf('_', "berth_".length()));
    }

    @Test
    void anAppThePushDoesNotChangeKeepsItsReplicas() throws Exception {
        var a = agent("a");
        onlyTheseHostsAlive(a);
        String team = team();
        long first = push(team, withWorker(web(1, "one", ""), "one"));
        succeededAt(team, "web", first);
        succeededAt(team, "worker", first);
        var webReplicas = list(app(team, "web").get("replicas")).stream().map(r -> r.get("id").asString()).toList();

        long second = push(team, withWorker(web(1, "one", ""), "two"));
        succeededAt(team, "worker", second);
        assertThat(app(team, "web").get("revision").asLong()).isEqualTo(first);
        assertThat(list(deployments(team, "web"))).hasSize(1);
        assertThat(list(app(team, "web").get("replicas")).stream().map(r -> r.get("id").asString()).toList())
                .isEqualTo(webReplicas);
        assertThat(history(team, "web")).hasSize(1);

        // An identical commit deploys nothing at all.
        long third = push(team, withWorker(web(1, "one", ""), "two"));
        assertThat(third).isGreaterThan(second);
        assertThat(list(deployments(team, "worker"))).hasSize(2);
        retire(team);
    }

    @Test
    void aFailedHealthGateRollsBackToTheLastGoodRevisionAndStaysUntilAPushChangesTheApp() throws Exception {
        var a = agent("a");
        onlyTheseHostsAlive(a);
        String team = team();
        long good = push(team, withWorker(web(2, "good", ""), "one"));
        succeededAt(team, "web", good);

        String bad = web(2, "bad", "deploy: {healthTimeout: 2s}").replace("env: {VERSION: bad}", "env: {VERSION: bad, SIM: never-healthy}");
        long failed = push(team, withWorker(bad, "one"));
        eventually(() -> {
            var timeline = list(deployments(team, "web"));
            assertThat(timeline.get(0).get("kind").asString()).isEqualTo("auto-rollback");
            assertThat(timeline.get(0).get("state").asString()).isEqualTo("succeeded");
        });
        var timeline = list(deployments(team, "web"));
        assertThat(timeline).extracting(d -> d.get("revision").asLong()).containsExactly(good, failed, good);
        var failedOne = timeline.get(1);
        assertThat(failedOne.get("state").asString()).isEqualTo("failed");
        assertThat(failedOne.get("message").asString()).contains("longer than the 2s health timeout")
                .contains("rolled back to revision " + good + " by deployment " + timeline.get(0).get("id").asLong());
        assertThat(timeline.get(0).get("createdBy").asString()).isEqualTo("system");
        assertThat(timeline.get(0).get("reason").asString()).startsWith("revision " + failed + " failed: ");
        var detail = app(team, "web");
        assertThat(detail.get("revision").asLong()).isEqualTo(good);
        assertThat(list(detail.get("replicas"))).hasSize(2)
                .allSatisfy(r -> assertThat(r.get("revision").asLong()).isEqualTo(good));
        assertThat(history(team, "web").stream().filter(r -> r.revision() == failed))
                .isNotEmpty().allSatisfy(r -> assertThat(r.stopped()).isNotNull());
        // The good replicas were never taken away: maxUnavailable 0.
        assertThat(history(team, "web").stream().filter(r -> r.revision() == good && r.stopped() != null)).isEmpty();
        assertThat(audit("deployment.fail")).contains("app:" + team + "/web");
        assertThat(audit("deployment.auto-rollback")).contains("app:" + team + "/web")
                .contains("\"from\":\"" + failed + "\"").contains("\"revision\":\"" + good + "\"");

        // Pinned: a push that changes another app leaves web where the rollback put it.
        long other = push(team, withWorker(bad, "two"));
        succeededAt(team, "worker", other);
        assertThat(list(deployments(team, "web"))).hasSize(3);
        assertThat(app(team, "web").get("revision").asLong()).isEqualTo(good);

        long fixed = push(team, withWorker(web(2, "fixed", ""), "two"));
        succeededAt(team, "web", fixed);
        retire(team);
    }

    @Test
    void aLostHostsReplicasArePlacedOnTheOthersAndTheLossIsAuditedOnce() throws Exception {
        var a = agent("a");
        var b = agent("b");
        onlyTheseHostsAlive(a, b);
        String team = team();
        long revision = push(team, web(2, "one", ""));
        succeededAt(team, "web", revision);
        assertThat(b.containers()).hasSize(1);

        b.close();
        eventually(() -> {
            var replicas = list(app(team, "web").get("replicas"));
            assertThat(replicas).hasSize(2).allSatisfy(r -> {
                assertThat(r.get("hostId").asString()).isEqualTo(a.hostId);
                assertThat(r.get("state").asString()).isEqualTo("HEALTHY");
            });
        });
        assertThat(history(team, "web").stream().filter(r -> r.host().equals(b.hostId)))
                .singleElement().satisfies(r -> assertThat(r.reason()).isEqualTo("host " + b.hostId + " stopped sending heartbeats"));
        eventually(() -> assertThat(audit("host.lost")).contains("host:" + b.hostId));
        assertThat(audit("host.lost").split("host:" + b.hostId, -1)).as("audited once").hasSize(2);

        b.resume();
        eventually(() -> assertThat(audit("host.returned")).contains("host:" + b.hostId));
        // Its old replica is no longer in its assignment, so the agent removes it.
        eventually(() -> assertThat(b.containers()).isEmpty());
        assertThat(audit("host.lost").split("host:" + b.hostId, -1)).hasSize(2);
        retire(team);
    }

    @Test
    void aRollbackDeploysTheEarlierRevisionUntilAPushChangesTheApp() throws Exception {
        var a = agent("a");
        onlyTheseHostsAlive(a);
        String team = team();
        String path = "/api/v1/teams/" + team + "/apps/web/rollback";
        long first = push(team, withWorker(web(1, "one", ""), "one"));
        succeededAt(team, "web", first);
        long second = push(team, withWorker(web(1, "two", ""), "one"));
        succeededAt(team, "web", second);

        var missingReason = admin.post(path, Map.of("revision", first));
        expect(400, missingReason);
        assertThat(missingReason.json().get("detail").asString()).contains("'reason' is missing");
        var notDefining = admin.post(path, Map.of("revision", 999_999, "reason", "x"));
        expect(400, notDefining);
        assertThat(notDefining.json().get("detail").asString())
                .isEqualTo("revision 999999 does not define app 'web' of team '" + team + "'");
        expect(409, admin.post(path, Map.of("revision", second, "reason", "already there")));

        var rollback = admin.post(path, Map.of("revision", first, "reason", "two breaks checkout"));
        expect(201, rollback);
        assertThat(rollback.json().get("kind").asString()).isEqualTo("rollback");
        assertThat(rollback.json().get("revision").asLong()).isEqualTo(first);
        assertThat(rollback.json().get("reason").asString()).isEqualTo("two breaks checkout");
        assertThat(rollback.json().get("createdBy").asString()).isEqualTo("admin");
        succeededAt(team, "web", first);
        assertThat(a.containers().values()).extracting(c -> c.spec().env().get("VERSION")).containsOnly("one");
        var timeline = list(deployments(team, "web"));
        assertThat(timeline).extracting(d -> d.get("state").asString()).containsExactly("succeeded", "rolled-back", "succeeded");
        assertThat(audit("deployment.rollback")).contains("app:" + team + "/web").contains("two breaks checkout")
                .contains("\"from\":\"" + second + "\"").contains("\"revision\":\"" + first + "\"").contains("admin");

        // Pinned: neither an identical commit nor one that changes another app moves web.
        push(team, withWorker(web(1, "two", ""), "one"));
        long workerOnly = push(team, withWorker(web(1, "two", ""), "two"));
        succeededAt(team, "worker", workerOnly);
        assertThat(app(team, "web").get("revision").asLong()).isEqualTo(first);
        assertThat(list(deployments(team, "web"))).hasSize(3);

        long third = push(team, withWorker(web(1, "three", ""), "two"));
        succeededAt(team, "web", third);
        assertThat(a.containers().values()).filteredOn(c -> c.spec().app().equals(team + ".web"))
                .extracting(c -> c.spec().env().get("VERSION")).containsOnly("three");
        retire(team);
    }

    @Test
    void blueGreenStartsTheWholeNewSetOutOfTrafficAndSwitchesAsTheOldOneStops() throws Exception {
        var a = agent("a");
        var b = agent("b");
        onlyTheseHostsAlive(a, b);
        String team = team();
        long first = push(team, web(2, "blue", "deploy: {strategy: blue-green}"));
        succeededAt(team, "web", first);
        assertThat(list(app(team, "web").get("replicas"))).allSatisfy(r -> assertThat(r.get("serving").asBoolean()).isTrue());

        // Green's health checks are held back: it runs beside blue, out of traffic, until all of it is healthy.
        a.holdStarting("green");
        b.holdStarting("green");
        long second = push(team, web(2, "green", "deploy: {strategy: blue-green}"));
        eventually(() -> {
            var detail = app(team, "web");
            var replicas = list(detail.get("replicas"));
            assertThat(replicas).hasSize(4);
            assertThat(replicas).filteredOn(r -> r.get("revision").asLong() == second).hasSize(2).allSatisfy(r -> {
                assertThat(r.get("serving").asBoolean()).isFalse();
                assertThat(r.get("state").asString()).as("held back by its health check").isEqualTo("STARTING");
                assertThat(r.get("published")).as("reported by its host").hasSize(1);
                assertThat(r.get("published").get(0).get("serving").asBoolean()).isFalse();
            });
            assertThat(replicas).filteredOn(r -> r.get("revision").asLong() == first).hasSize(2)
                    .allSatisfy(r -> assertThat(r.get("serving").asBoolean()).isTrue());
            assertThat(list(detail.get("differences")).stream().map(JsonNode::asString))
                    .anyMatch(d -> d.endsWith(" takes no traffic until the blue-green switch to revision " + second));
        });
        assertThat(servingByRevision(team, second)).containsOnly(false);
        a.release("green");
        b.release("green");
        succeededAt(team, "web", second);
        assertThat(servingByRevision(team, second)).containsExactly(true, true);
        assertThat(list(app(team, "web").get("replicas"))).allSatisfy(r -> {
            assertThat(r.get("serving").asBoolean()).isTrue();
            assertThat(r.get("revision").asLong()).isEqualTo(second);
        });

        // What each agent was sent: green out of traffic beside blue, then green in with blue gone, in one generation.
        int switched = 0;
        for (var sim : List.of(a, b)) {
            var sent = sim.received().stream().filter(asg -> asg.containers().stream().anyMatch(c -> c.revision() == second))
                    .toList();
            if (sent.isEmpty()) continue;
            int at = 0;
            while (at < sent.size() && sent.get(at).containers().stream().noneMatch(c -> c.revision() == second && c.serving())) at++;
            assertThat(at).as("%s: green was first sent out of traffic", sim.hostname).isPositive();
            for (var before : sent.subList(0, at)) {
                assertThat(before.containers()).filteredOn(c -> c.revision() == second).extracting(AssignedContainer::serving)
                        .containsOnly(false);
            }
            assertThat(at).as("%s: the switch reached it", sim.hostname).isLessThan(sent.size());
            for (var after : sent.subList(at, sent.size())) {
                assertThat(after.containers()).as("%s, generation %d: green in, blue gone", sim.hostname, after.generation())
                        .isNotEmpty().allSatisfy(c -> {
                            assertThat(c.revision()).isEqualTo(second);
                            assertThat(c.serving()).isTrue();
                        });
            }
            switched++;
        }
        assertThat(switched).as("hosts that ran green").isPositive();

        var rows = history(team, "web");
        var green = rows.stream().filter(r -> r.revision() == second).toList();
        var blue = rows.stream().filter(r -> r.revision() == first).toList();
        assertThat(green).hasSize(2).allMatch(r -> r.stopped() == null);
        assertThat(blue).hasSize(2).allSatisfy(r -> {
            assertThat(r.reason()).isEqualTo("replaced by revision " + second + " after the traffic switch");
            // Every new replica was assigned before any old one was stopped.
            assertThat(green).allMatch(g -> !g.created().isAfter(r.stopped()));
        });
        assertThat(new TreeSet<>(blue.stream().map(History::stopped).toList())).as("stopped in one round").hasSize(1);
        assertThat(mostAtOnce(rows)).isEqualTo(4);
        retire(team);
    }

    @Test
    void aReplicaThatCannotStartSaysWhyAndItsRevisionFailsItsGateAndRollsBack() throws Exception {
        var a = agent("a");
        onlyTheseHostsAlive(a);
        String team = team();
        long good = push(team, web(1, "good", ""));
        succeededAt(team, "web", good);

        long bad = push(team, web(1, "bad", "deploy: {healthTimeout: 8s}")
                .replace("env: {VERSION: bad}", "env: {VERSION: bad, SIM: cannot-start}"));
        eventually(() -> {
            var detail = app(team, "web");
            assertThat(list(detail.get("differences")).stream().map(JsonNode::asString)).as(detail.toString())
                    .anyMatch(d -> d.startsWith("replica " + team + ".web." + bad + ".") && d.contains(" on " + a.hostname
                            + " failed to start: " + SimulatedAgent.CANNOT_START + " (retrying; starting for "));
        });
        // The agent retries a failed start; the platform does not replace it round after round, and the
        // revision fails its health gate and rolls back to the good one, which kept serving (maxUnavailable 0).
        eventually(() -> {
            var detail = app(team, "web");
            assertThat(detail.get("deployment").get("kind").asString()).as(detail.toString()).isEqualTo("auto-rollback");
            assertThat(detail.get("revision").asLong()).isEqualTo(good);
        });
        assertThat(history(team, "web")).filteredOn(r -> r.revision() == bad).hasSize(1);
        var kept = jdbc.sql("""
                SELECT r.start_error FROM replicas r JOIN teams t ON t.id = r.team_id
                WHERE t.name = ? AND r.revision_id = ?""")
                .params(team, bad).query(String.class).list();
        assertThat(kept).contains(SimulatedAgent.CANNOT_START);
        assertThat(history(team, "web")).filteredOn(r -> r.revision() == good)
                .singleElement().satisfies(r -> assertThat(r.stopped()).isNull());
        retire(team);
    }

    @Test
    void anAgentGetsOnlyItsOwnReplicasAndEveryContainerIsNamedUniquely() throws Exception {
        var a = agent("a");
        var b = agent("b");
        onlyTheseHostsAlive(a, b);
        String team = team();
        long revision = push(team, web(4, "one", ""));
        succeededAt(team, "web", revision);
        var names = new ArrayList<String>();
        for (var sim : List.of(a, b)) {
            assertThat(sim.failure()).isNull();
            assertThat(sim.received()).allSatisfy(asg -> assertThat(asg.hostId()).isEqualTo(sim.hostId));
            sim.containers().values().stream().map(AssignedContainer::spec).map(ContainerSpec::name).forEach(names::add);
        }
        assertThat(names).hasSize(4).doesNotHaveDuplicates();
        assertThat(a.containers()).hasSize(2);
        assertThat(b.containers()).hasSize(2);
        retire(team);
    }
}

package dev.berth.platform.apps;

import static org.assertj.core.api.Assertions.assertThat;

import dev.berth.agent.protocol.PublishedPort;
import dev.berth.platform.deployments.Deployment;
import java.time.Instant;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Desired versus live, as sentences. */
class DifferencesTest {
    private static final Instant NOW = Instant.parse("2025-06-01T12:00:00Z");

    private static ReplicaView replica(String id, long revision, String state, boolean alive, boolean reported) {
        return new ReplicaView(id, id, "h-000000000001", "worker-a", alive, revision, state, NOW.minusSeconds(30),
                reported ? (state.equals("EXITED") ? "exited" : "running") : null, null,
                List.of(new PublishedPort(8080, "127.0.0.1:20001", state.equals("HEALTHY"))), 0,
                state.equals("EXITED") && reported ? 137 : null, state.equals("EXITED") && reported, NOW.minusSeconds(90),
                reported ? NOW.minusSeconds(1) : null, true, null);
    }

    /** A blue-green replica held out of traffic until the switch. */
    private static ReplicaView heldOut(String id, long revision, String state) {
        return new ReplicaView(id, id, "h-000000000001", "worker-a", true, revision, state, NOW.minusSeconds(30), "running",
                state.equals("HEALTHY") ? "healthy" : "starting", List.of(new PublishedPort(8080, "127.0.0.1:20001", false)), 0,
                null, false, NOW.minusSeconds(90), NOW.minusSeconds(1), false, null);
    }

    /** The agent could not start it; {@code error} is null from an older agent. */
    private static ReplicaView failed(String id, String error) {
        return new ReplicaView(id, id, "h-000000000001", "worker-a", true, 5, "EXITED", NOW.minusSeconds(2), "failed", null,
                List.of(), 0, null, false, NOW.minusSeconds(3), NOW.minusSeconds(1), true, error);
    }

    /** Not served yet: its host retries a failed start ({@code runtime} failed) or restarts a crash (exited). */
    private static ReplicaView retrying(String id, String runtime, String error, Integer exitCode) {
        return new ReplicaView(id, id, "h-000000000001", "worker-a", true, 5, "STARTING", NOW.minusSeconds(20), runtime, null,
                List.of(), 0, exitCode, false, NOW.minusSeconds(20), NOW.minusSeconds(1), true, error);
    }

    private static final Differences.FailedStart PULL_FAILED = new Differences.FailedStart("x", "worker-b",
            "pulling registry.example.com/acme/web@sha256:ab: manifest unknown", NOW.minusSeconds(75));

    private static Deployment deployment(Deployment.State state, String message) {
        return new Deployment(9, "acme", "web", 5, "c".repeat(40), Deployment.Kind.PUSH, state, "ada", null, NOW.minusSeconds(120),
                state == Deployment.State.IN_PROGRESS ? null : NOW, message);
    }

    private static Differences.Wanted wanted(int replicas, List<String> missing, Deployment d) {
        return new Differences.Wanted("acme", "web", 5, replicas, false, d, missing);
    }

    static Stream<Arguments> cases() {
        var ok = deployment(Deployment.State.SUCCEEDED, "all 2 replicas of revision 5 run healthy");
        return Stream.of(
                Arguments.of("in sync", wanted(2, List.of(), ok),
                        List.of(replica("a", 5, "HEALTHY", true, true), replica("b", 5, "HEALTHY", true, true)), List.of()),
                Arguments.of("rolling: one old, one starting", wanted(2, List.of(), deployment(Deployment.State.IN_PROGRESS, null)),
                        List.of(replica("a", 4, "HEALTHY", true, true), replica("b", 5, "STARTING", true, true)),
                        List.of("0 of 2 replicas of revision 5 run healthy",
                                "replica a on worker-a runs revision 4, not 5",
                                "replica b on worker-a has not passed its health check yet (starting for 30s)")),
                Arguments.of("assigned, not reported; one on a silent host", wanted(2, List.of(), ok),
                        List.of(replica("a", 5, "STARTING", true, false), replica("b", 5, "HEALTHY", false, true)),
                        List.of("1 of 2 replicas of revision 5 run healthy",
                                "replica a on worker-a was assigned 1m30s ago and is not reported yet",
                                "host worker-a has stopped sending heartbeats; replica b there is being replaced")),
                Arguments.of("a secret is missing; nothing runs", wanted(1, List.of("DB_PASSWORD"), ok), List.of(),
                        List.of("secret DB_PASSWORD is not set, so replicas of revision 5 cannot start; "
                                        + "set it with PUT /api/v1/teams/acme/apps/web/secrets/DB_PASSWORD",
                                "0 of 1 replica of revision 5 run healthy")),
                Arguments.of("exited after an OOM kill, unhealthy, one too many", wanted(1, List.of(),
                                deployment(Deployment.State.FAILED, "replica b has been starting for 1m")),
                        List.of(replica("a", 5, "EXITED", true, true), replica("b", 5, "UNHEALTHY", true, true)),
                        List.of("0 of 1 replica of revision 5 run healthy",
                                "2 replicas are assigned; revision 5 asks for 1",
                                "deployment 9 of revision 5 failed: replica b has been starting for 1m",
                                "replica a on worker-a exited with code 137, killed for using more memory than its limit",
                                "replica b on worker-a fails its health check (for 30s)")),
                Arguments.of("removed, still running", new Differences.Wanted("acme", "web", 6, 0, true,
                                deployment(Deployment.State.IN_PROGRESS, null), List.of()),
                        List.of(replica("a", 5, "HEALTHY", true, true)),
                        List.of("revision 6 no longer defines the app; 1 replica still runs")));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void sentencesSayWhatDiffers(String name, Differences.Wanted wanted, List<ReplicaView> live, List<String> expected) {
        assertThat(Differences.of(wanted, live, null, NOW)).containsExactlyElementsOf(expected);
    }

    static Stream<Arguments> trafficAndFailedStarts() {
        var rolling = deployment(Deployment.State.IN_PROGRESS, null);
        return Stream.of(
                Arguments.of("blue-green before the switch: the new ones run out of traffic", wanted(1, List.of(), rolling),
                        List.of(replica("a", 4, "HEALTHY", true, true), heldOut("b", 5, "HEALTHY")), null,
                        List.of("2 replicas are assigned; revision 5 asks for 1",
                                "replica a on worker-a runs revision 4, not 5",
                                "replica b on worker-a takes no traffic until the blue-green switch to revision 5")),
                Arguments.of("blue-green, a new one still starting", wanted(1, List.of(), rolling),
                        List.of(replica("a", 4, "HEALTHY", true, true), heldOut("b", 5, "STARTING")), null,
                        List.of("0 of 1 replica of revision 5 run healthy",
                                "2 replicas are assigned; revision 5 asks for 1",
                                "replica a on worker-a runs revision 4, not 5",
                                "replica b on worker-a has not passed its health check yet (starting for 30s)",
                                "replica b on worker-a takes no traffic until the blue-green switch to revision 5")),
                Arguments.of("a live replica that could not start says why", wanted(1, List.of(), rolling),
                        List.of(failed("a", "cannot listen on 0.0.0.0:20001: Address already in use")), null,
                        List.of("0 of 1 replica of revision 5 run healthy",
                                "replica a on worker-a failed to start: cannot listen on 0.0.0.0:20001: Address already in use")),
                Arguments.of("a start failing before the replica ever served is retried, and says why",
                        wanted(1, List.of(), rolling), List.of(retrying("a", "failed", "pulling acme/web: manifest unknown", null)), null,
                        List.of("0 of 1 replica of revision 5 run healthy",
                                "replica a on worker-a failed to start: pulling acme/web: manifest unknown (retrying; starting for 20s)")),
                Arguments.of("a crash before the replica ever served is restarted, and says so",
                        wanted(1, List.of(), rolling), List.of(retrying("a", "exited", null, 1)), null,
                        List.of("0 of 1 replica of revision 5 run healthy",
                                "replica a on worker-a exited with code 1 before passing its health check (restarting; starting for 20s)")),
                Arguments.of("an older agent's failed start says no more than that", wanted(1, List.of(), rolling),
                        List.of(failed("a", null)), null,
                        List.of("0 of 1 replica of revision 5 run healthy", "replica a on worker-a failed to start")),
                Arguments.of("the last failed start, replaced since, still says why", wanted(1, List.of(), rolling),
                        List.of(replica("y", 5, "STARTING", true, false)), PULL_FAILED,
                        List.of("0 of 1 replica of revision 5 run healthy",
                                "replica x on worker-b failed to start (1m15s ago, since replaced): "
                                        + "pulling registry.example.com/acme/web@sha256:ab: manifest unknown",
                                "replica y on worker-a was assigned 1m30s ago and is not reported yet")),
                Arguments.of("a failed start of a replica still live is said once", wanted(1, List.of(), rolling),
                        List.of(failed("x", "pulling registry.example.com/acme/web@sha256:ab: manifest unknown")), PULL_FAILED,
                        List.of("0 of 1 replica of revision 5 run healthy",
                                "replica x on worker-a failed to start: pulling registry.example.com/acme/web@sha256:ab: manifest unknown")),
                Arguments.of("a failed start is history once the revision runs healthy",
                        wanted(1, List.of(), deployment(Deployment.State.SUCCEEDED, "the replica of revision 5 runs healthy")),
                        List.of(replica("y", 5, "HEALTHY", true, true)), PULL_FAILED, List.of()));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("trafficAndFailedStarts")
    void trafficAndFailedStartsAreSaid(String name, Differences.Wanted wanted, List<ReplicaView> live,
                                       Differences.FailedStart failedStart, List<String> expected) {
        assertThat(Differences.of(wanted, live, failedStart, NOW)).containsExactlyElementsOf(expected);
    }
}

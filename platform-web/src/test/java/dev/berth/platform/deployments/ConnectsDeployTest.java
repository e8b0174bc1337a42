package dev.berth.platform.deployments;

import static org.assertj.core.api.Assertions.assertThat;

import dev.berth.agent.protocol.Assignment;
import dev.berth.agent.protocol.ConnectGrant;
import dev.berth.agent.protocol.ConnectTarget;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/**
 * App-to-app connects through real rounds, heartbeats and long polls: the consumer's host hears
 * where its producer serves as the producer rolls out, and the producer's hosts who may connect.
 */
class ConnectsDeployTest extends DeployTest {
    private String apps(String version) {
        return """
                apiVersion: berth/v1
                apps:
                  db:
                    image: %1$s
                    replicas: 2
                    env: {VERSION: "%2$s"}
                    ports: [{name: pg, port: 5432}]
                  consumer:
                    image: %1$s
                    replicas: 1
                    connects: [{app: db, port: pg, local: 5432}]
                """.formatted(image, version);
    }

    @Test
    void theConsumersHostFollowsItsProducersRolloutAndPeerAddresses() throws Exception {
        var a = agent("conn-a");
        var b = agent("conn-b");
        onlyTheseHostsAlive(a, b);
        a.peerAddress("203.0.113.11:7443");
        b.peerAddress("not an address"); // ignored, with a warning; the heartbeat still counts
        String team = team();
        try {
            followsTheRollout(a, b, team);
        } finally {
            retire(team); // the platform is shared: its replicas must not land on the next test's hosts
        }
    }

    private void followsTheRollout(SimulatedAgent a, SimulatedAgent b, String team) throws Exception {
        long first = push(team, apps("1"));
        succeededAt(team, "db", first);
        succeededAt(team, "consumer", first);

        var consumerHost = history(team, "consumer").getFirst().host();
        var consumer = consumerHost.equals(a.hostId) ? a : b;
        var producerHosts = history(team, "db").stream().filter(h -> h.stopped() == null).map(History::host).distinct().toList();
        eventually(() -> {
            var target = target(consumer.received().getLast(), team);
            assertThat(target.backends()).extracting(ConnectTarget.Backend::container)
                    .containsExactlyInAnyOrderElementsOf(serving(team, first));
            assertThat(target.backends()).allSatisfy(bk -> {
                assertThat(bk.containerPort()).isEqualTo(5432);
                assertThat(bk.peerAddress()).isEqualTo(bk.hostId().equals(a.hostId) ? "203.0.113.11:7443" : null);
            });
        });
        for (var host : List.of(a, b)) {
            if (!producerHosts.contains(host.hostId)) continue;
            eventually(() -> {
                var grants = host.received().getLast().grants();
                assertThat(grants).hasSize(1);
                assertThat(grants.getFirst()).usingRecursiveComparison().ignoringFields("containerPorts")
                        .isEqualTo(new ConnectGrant(team + ".db", "pg", team + ".consumer", List.of(consumerHost)));
                // The number pg has in each of this host's db replicas: the peer never picks it.
                assertThat(grants.getFirst().containerPorts()).isNotEmpty().allSatisfy((container, port) -> {
                    assertThat(container).startsWith(team + ".db.");
                    assertThat(port).isEqualTo(5432);
                });
            });
        }

        // A rolling rollout of the producer: each step reaches the consumer's host, and it is never left without a backend.
        int seenBefore = consumer.received().size();
        long second = push(team, apps("2"));
        succeededAt(team, "db", second);
        eventually(() -> assertThat(target(consumer.received().getLast(), team).backends())
                .extracting(ConnectTarget.Backend::container).containsExactlyInAnyOrderElementsOf(serving(team, second)));
        var during = consumer.received().subList(seenBefore - 1, consumer.received().size());
        assertThat(during).as("assignments of the consumer's host during the rollout").hasSizeGreaterThan(2)
                .allSatisfy(asg -> assertThat(target(asg, team).backends()).isNotEmpty());
        assertThat(history(team, "consumer")).as("the consumer itself did not move").hasSize(1);

        // A producer host's new peer address reaches the consumer's host.
        b.peerAddress("203.0.113.12:7443");
        eventually(() -> assertThat(target(consumer.received().getLast(), team).backends())
                .filteredOn(bk -> bk.hostId().equals(b.hostId)).isNotEmpty()
                .allSatisfy(bk -> assertThat(bk.peerAddress()).isEqualTo("203.0.113.12:7443")));
        assertThat(jdbc.sql("SELECT peer_address FROM hosts WHERE id = ?").param(b.hostId).query(String.class).single())
                .isEqualTo("203.0.113.12:7443");
    }

    private static ConnectTarget target(Assignment assignment, String team) {
        var found = new AtomicReference<ConnectTarget>();
        assignment.connects().stream().filter(t -> t.app().equals(team + ".db") && t.port().equals("pg")).forEach(found::set);
        assertThat(found.get()).as("connects of generation " + assignment.generation() + ": " + assignment.connects()).isNotNull();
        return found.get();
    }

    /** The containers of the app's replicas of {@code revision} that take traffic. */
    private List<String> serving(String team, long revision) {
        return jdbc.sql("""
                SELECT r.container FROM replicas r JOIN teams t ON t.id = r.team_id
                WHERE t.name = ? AND r.app = 'db' AND r.revision_id = ? AND r.serving AND r.stop_requested_at IS NULL""")
                .params(team, revision).query(String.class).list();
    }
}

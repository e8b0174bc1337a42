package dev.berth.platform.deployments;

import static org.assertj.core.api.Assertions.assertThat;

import dev.berth.platform.audit.AuditEvent;
import dev.berth.platform.cluster.InstanceStopped;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** What the audit log says of a handover: the silent instance, when it was last seen, who took over, which deployments. */
class InstanceHandoversTest {
    private static final InstanceStopped STOPPED = new InstanceStopped("a1b2", "web-1:8080",
            Instant.parse("2026-12-06T01:02:03.456789Z"), "web-2:8080");

    private record Case(List<DeploymentStore.TeamApp> affected, String deployments, String apps) {
    }

    @Test
    void theHandoverIsAuditedWithItsDetails() {
        var cases = List.of(
                new Case(List.of(), "0", ""),
                new Case(List.of(new DeploymentStore.TeamApp("blue", "web")), "1", "blue/web"),
                new Case(List.of(new DeploymentStore.TeamApp("red", "api"), new DeploymentStore.TeamApp("blue", "web")), "2",
                        "blue/web,red/api"));
        for (var c : cases) {
            var event = InstanceHandovers.audit(STOPPED, c.affected()).at(Instant.EPOCH);
            assertThat(event.actor()).isEqualTo(AuditEvent.Actor.system());
            assertThat(event.action()).isEqualTo("platform.instance.taken-over");
            assertThat(event.target()).isEqualTo("platform-instance:web-1:8080");
            assertThat(event.details()).as("details with %s", c.affected()).isEqualTo(Map.of("instance", "a1b2",
                    "lastSeen", "2026-12-06T01:02:03.456Z", "takenOverBy", "web-2:8080", "deployments", c.deployments(),
                    "apps", c.apps()));
        }
    }
}

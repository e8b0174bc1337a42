package dev.berth.agent.daemon;

import static org.assertj.core.api.Assertions.assertThat;

import dev.berth.agent.protocol.ContainerStatus;
import dev.berth.agent.protocol.IsolationCheck;
import dev.berth.agent.protocol.PublishedPort;
import dev.berth.agent.runtime.ExitStatus;
import java.util.List;
import org.junit.jupiter.api.Test;

class ContainerInfoTest {

    @Test
    void containersMapToWhatThePlatformHears() {
        var ports = List.of(new PublishedPort(8080, "host-1:20000", true));
        var checks = List.of(new IsolationCheck("no new privileges", true, "1", "1"));
        var running = new ContainerInfo("web-1", "web", "running", 42, null, 2, HealthTracker.Status.HEALTHY);
        assertThat(running.status(ports, checks))
                .isEqualTo(new ContainerStatus("web-1", "web", "running", null, false, "healthy", 2, ports, checks));
        var oom = new ContainerInfo("worker-1", "worker", "exited", 0, new ExitStatus(137, true), 3, null);
        assertThat(oom.status(List.of(), List.of()))
                .isEqualTo(new ContainerStatus("worker-1", "worker", "exited", 137, true, null, 3, List.of(), List.of()));
        var starting = new ContainerInfo("db", null, "created", 0, new ExitStatus(0, false), 0, HealthTracker.Status.STARTING);
        assertThat(starting.status(List.of(), List.of())).isEqualTo(new ContainerStatus("db", "db", "created", 0, false, "starting"));
    }
}

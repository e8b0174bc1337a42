package dev.berth.agent.link;

import dev.berth.agent.daemon.LogSource;
import dev.berth.agent.protocol.Assignment;
import dev.berth.agent.protocol.ContainerStatus;
import dev.berth.agent.protocol.EdgeStatus;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/** The link's side of an agent for tests that are about the wire: records what it is given, reports what it is told. */
final class RecordingAgent implements PlatformLink.Agent {
    final List<Assignment> applied = new CopyOnWriteArrayList<>();
    volatile List<ContainerStatus> statuses = List.of();
    volatile List<LogSource> logs = List.of();
    volatile String peerAddress;
    volatile EdgeStatus edge;

    @Override
    public List<ContainerStatus> statuses() {
        return statuses;
    }

    @Override
    public void apply(Assignment assignment) {
        applied.add(assignment);
    }

    @Override
    public List<LogSource> platformLogs() {
        return logs;
    }

    @Override
    public String peerAddress() {
        return peerAddress;
    }

    @Override
    public EdgeStatus edge() {
        return edge;
    }
}

package dev.berth.agent.daemon;

import dev.berth.agent.bundle.IdRange;
import dev.berth.agent.inspect.IsolationReport;
import dev.berth.agent.protocol.ContainerSpec;
import java.util.List;

/**
 * What {@code berth-agent inspect} prints; the isolation report only while the container runs, the
 * timeline only for a container this agent started (not one it adopted).
 */
public record Inspection(ContainerInfo container, String bundle, IdRange ids, List<ContainerSpec.PortPublish> ports,
                         ContainerSpec.Resources limits, IsolationReport isolation, StartTimeline timeline) {
}

package dev.berth.platform.apps;

import dev.berth.agent.protocol.PublishedPort;
import java.time.Instant;
import java.util.List;

/**
 * One replica of an app, as assigned and as its host last reported it.
 *
 * @param id the replica's id
 * @param container its container name on the host
 * @param hostId the host it is assigned to
 * @param hostname that host's name
 * @param hostAlive whether that host's heartbeats are current
 * @param revision the revision it runs
 * @param state {@code STARTING}, {@code HEALTHY}, {@code UNHEALTHY} or {@code EXITED}, as the deployer counts it
 * @param since when it entered {@code state}
 * @param runtime the runtime state the host reported ({@code running}, {@code exited}, ...), null until reported
 * @param health the health the host reported, null without a health check or until reported
 * @param published where its published ports are served
 * @param restarts how often the agent restarted it after a failure
 * @param exitCode its exit code once it exited
 * @param oomKilled whether the kernel killed it for memory
 * @param createdAt when it was assigned
 * @param reportedAt when its host last reported it, null until then
 * @param serving whether it may take traffic once healthy; false while a blue-green rollout holds
 *                it out until the traffic switch (its {@code published} ports then say not serving)
 * @param error why its host could not start it, while the host reports it {@code failed}; else null
 */
public record ReplicaView(String id, String container, String hostId, String hostname, boolean hostAlive, long revision,
                          String state, Instant since, String runtime, String health, List<PublishedPort> published,
                          int restarts, Integer exitCode, boolean oomKilled, Instant createdAt, Instant reportedAt,
                          boolean serving, String error) {
    public ReplicaView {
        published = published == null ? List.of() : List.copyOf(published);
    }
}

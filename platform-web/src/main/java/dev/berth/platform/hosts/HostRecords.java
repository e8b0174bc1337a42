package dev.berth.platform.hosts;

import dev.berth.agent.protocol.ContainerStatus;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;
import org.springframework.stereotype.Component;

/**
 * What other features read and write of a host's row, so that none of them needs {@link HostStore}:
 * the deployer moves a host's assignment generation and marks it lost or returned; the apps view
 * reads its name, last heartbeat and reported containers.
 */
@Component
public class HostRecords {
    private final HostStore store;
    private final EdgeStatusStore edgeStatus;

    public HostRecords(HostStore store, EdgeStatusStore edgeStatus) {
        this.store = store;
        this.edgeStatus = edgeStatus;
    }

    /**
     * A host whose agent runs an edge ({@code --edge}), as its latest heartbeat reported it.
     *
     * @param address where routed host names should point for this edge
     * @param appliedGeneration the newest generation whose routes its proxy serves
     * @param error why its proxy does not serve the newest routes; null when it does
     * @param generation the host's assignment generation now
     * @param lost whether its heartbeats are missing
     */
    public record Edge(String hostId, String address, long appliedGeneration, String error, Instant reportedAt,
                       long generation, boolean lost) {
        /** Whether its proxy serves what the platform sent it last. */
        public boolean current() {
            return error == null && appliedGeneration >= generation;
        }
    }

    /** The hosts that are edges now (removed ones left out), by id. */
    public List<Edge> edges() {
        return edgeStatus.edges();
    }

    /**
     * A host as the replicas running on it name it.
     *
     * @param lastHeartbeatAt null until its first heartbeat
     */
    public record Seen(String id, String hostname, Instant lastHeartbeatAt) {
    }

    /** A container as the host's latest heartbeat reported it. */
    public record Reported(ContainerStatus status, Instant reportedAt) {
    }

    /** The host, removed or not; empty for an unknown id. */
    public Optional<Seen> find(String hostId) {
        return store.find(hostId).map(h -> new Seen(h.id(), h.hostname(), h.lastHeartbeatAt()));
    }

    /** The hosts of {@code ids}, removed or not, by id, in one query; unknown ids are left out. */
    public Map<String, Seen> findAll(java.util.Collection<String> ids) {
        return store.findAll(ids).stream().collect(Collectors.toMap(HostStore.Row::id,
                h -> new Seen(h.id(), h.hostname(), h.lastHeartbeatAt())));
    }

    /**
     * What the hosts of {@code hostIds} reported in their latest heartbeats of the containers
     * {@code names}, by host id and container name, in one query: a page showing a few replicas
     * reads their reports, not every container of their hosts.
     */
    public Map<String, Map<String, Reported>> containersNamed(java.util.Collection<String> hostIds,
                                                              java.util.Collection<String> names) {
        var out = new java.util.HashMap<String, Map<String, Reported>>();
        for (var c : store.containersNamed(hostIds, names)) {
            out.computeIfAbsent(c.hostId(), h -> new java.util.HashMap<>()).put(c.status().name(),
                    new Reported(c.status(), c.reportedAt()));
        }
        return out;
    }

    /** The hosts neither removed nor lost, with their last heartbeat: those whose heartbeats are watched for lateness. */
    public List<Seen> reporting() {
        return store.list().stream().filter(h -> h.lostAt() == null)
                .map(h -> new Seen(h.id(), h.hostname(), h.lastHeartbeatAt())).toList();
    }

    /** What every host reported in its latest heartbeat, by host id and container name. */
    public Map<String, Map<String, ContainerStatus>> reported() {
        var out = new java.util.HashMap<String, Map<String, ContainerStatus>>();
        store.containers().forEach((host, rows) -> out.put(host,
                rows.stream().collect(Collectors.toMap(r -> r.status().name(), HostStore.ContainerRow::status))));
        return out;
    }

    /**
     * Moves the host's assignment to its next generation; agents waiting on the current one wake up.
     * It locks the row: a caller moving several hosts moves them in id order, as the reconciler does.
     *
     * @return the new generation
     */
    public long bumpGeneration(String hostId) {
        return store.bumpGeneration(hostId);
    }

    /**
     * Moves the assignments of {@code hostIds} to their next generation at once, as {@link
     * #bumpGeneration} would one by one in id order: one statement however many hosts.
     */
    public void bumpGenerations(List<String> hostIds) {
        store.bumpGenerations(hostIds);
    }

    /** The peer address ({@code host:port}) each host last reported, by host id; hosts without one are left out. */
    public Map<String, String> peerAddresses() {
        return store.peerAddresses();
    }

    /** The host's assignment generation, or empty for an unknown host. */
    public Optional<Long> generation(String hostId) {
        return store.generation(hostId);
    }

    /** Every host's assignment generation, by host id: one read for all waiting long polls. */
    public Map<String, Long> generations() {
        return store.generations();
    }

    /** Marks the host lost; false when it already was, so each loss is noticed once. */
    public boolean markLost(String hostId, Instant at) {
        return store.markLost(hostId, at);
    }

    /** Clears the lost mark; false when it was not set. */
    public boolean markReturned(String hostId) {
        return store.markReturned(hostId);
    }
}

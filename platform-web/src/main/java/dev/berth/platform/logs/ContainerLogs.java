package dev.berth.platform.logs;

import dev.berth.agent.protocol.LogChunk;
import dev.berth.agent.protocol.Logs;
import dev.berth.platform.hosts.HostProperties;
import dev.berth.platform.hosts.HostRecords;
import dev.berth.platform.problem.Problem;
import dev.berth.platform.access.AccessPolicy;
import dev.berth.platform.access.Caller;
import dev.berth.platform.access.Permission;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Pattern;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.stereotype.Service;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Container output on the platform: agents append what their containers wrote, the platform keeps
 * a bounded tail per container (keyed by host and container name), and people read it through their
 * team and app. Edge hosts add each app's access log as a stream of its own ({@link AccessStreams}).
 * Each append that adds lines publishes {@link LogsArrived} once committed.
 */
@Service
public class ContainerLogs {
    /** Container names as agents accept them. */
    static final Pattern CONTAINER = Pattern.compile("[a-z0-9]([a-z0-9_.-]{0,61}[a-z0-9])?");
    private static final System.Logger LOG = System.getLogger(ContainerLogs.class.getName());

    private final ContainerLogStore store;
    private final ReplicaLocator replicas;
    private final TransactionTemplate tx;
    private final ApplicationEventPublisher events;
    private final Clock clock;
    private final LogProperties properties;
    private final HostProperties hostProperties;
    private final HostRecords hosts;
    private final KnownApps apps;

    public ContainerLogs(ContainerLogStore store, ReplicaLocator replicas, TransactionTemplate tx,
                         ApplicationEventPublisher events, Clock clock, LogProperties properties, HostProperties hostProperties,
                         HostRecords hosts, KnownApps apps) {
        this.store = store;
        this.replicas = replicas;
        this.tx = tx;
        this.events = events;
        this.clock = clock;
        this.properties = properties;
        this.hostProperties = hostProperties;
        this.hosts = hosts;
        this.apps = apps;
    }

    /** The largest body {@code POST /agent/v1/logs} accepts. */
    public long maxBodyBytes() {
        return properties.maxBodyBytes();
    }

    /**
     * Stores what a host's agent forwarded, under that host: all chunks or, if one is invalid, none.
     * Chunks of one container are taken in the order sent.
     */
    public void append(String hostId, Logs logs) {
        if (logs == null) throw new Problem.Invalid("the request body must be logs");
        if (logs.version() != Logs.VERSION) {
            throw new Problem.Invalid("protocol version " + logs.version() + " is not supported; this platform speaks version "
                    + Logs.VERSION);
        }
        // Sorted by container, so concurrent requests lock streams in the same order.
        var byContainer = new TreeMap<String, List<LogChunk>>();
        for (int i = 0; i < logs.chunks().size(); i++) {
            LogChunk c = logs.chunks().get(i);
            String where = "chunks[" + i + "]";
            if (c == null) throw new Problem.Invalid(where + " is null");
            if (c.container() != null && AccessStreams.claimed(c.container())) {
                if (AccessStreams.parse(c.container()).isEmpty()) {
                    throw new Problem.Invalid(where + ".container '" + c.container() + "' is no access log stream: those are named "
                            + "edge_TEAM.APP");
                }
            } else if (c.container() == null || !CONTAINER.matcher(c.container()).matches()) {
                throw new Problem.Invalid(where + ".container must be a container name (1 to 63 of a-z, 0-9, '.', '_', '-', "
                        + "starting and ending with a letter or digit)");
            }
            if (c.offset() < 0) throw new Problem.Invalid(where + ".offset must be 0 or more");
            if (c.text() == null) throw new Problem.Invalid(where + ".text is missing");
            byContainer.computeIfAbsent(c.container(), k -> new ArrayList<>()).add(c);
        }
        checkAccessStreams(hostId, byContainer.keySet());
        var now = clock.instant();
        List<LogsArrived> arrived = tx.execute(s -> {
            var out = new ArrayList<LogsArrived>();
            byContainer.forEach((container, chunks) -> appendTo(hostId, container, chunks, now).ifPresent(out::add));
            return out;
        });
        arrived.forEach(events::publishEvent);
    }

    /**
     * Access streams are taken only from a host whose heartbeats report an edge, and only for an
     * app that exists: the name says whose log it is, so it must not be anyone's to choose.
     */
    private void checkAccessStreams(String hostId, Set<String> streams) {
        var access = streams.stream().map(AccessStreams::parse).flatMap(Optional::stream).toList();
        if (access.isEmpty()) return;
        if (hosts.edges().stream().noneMatch(e -> e.hostId().equals(hostId))) {
            throw new Problem.Forbidden("host " + hostId + " is no edge (its heartbeats report none), so it ships no access logs");
        }
        for (var a : access) {
            if (!apps.exists(a.team(), a.app())) {
                throw new Problem.Invalid("access log stream '" + AccessStreams.of(a.team(), a.app()) + "' names app '" + a.app()
                        + "' of team '" + a.team() + "', which does not exist");
            }
        }
    }

    private Optional<LogsArrived> appendTo(String hostId, String container, List<LogChunk> chunks, Instant now) {
        var stream = store.lock(hostId, container);
        Optional<LogStream.State> state = stream.map(ContainerLogStore.Stream::state);
        if (stream.isEmpty()) {
            if (store.streamsOf(hostId) >= properties.maxContainersPerHost()) {
                throw new Problem.Invalid("host " + hostId + " already has logs of " + properties.maxContainersPerHost()
                        + " containers; '" + container + "' would be one more");
            }
            // A concurrent first append may win the insert; then its state is the one to continue.
            boolean created = store.create(hostId, container, new LogStream.State(0, new byte[32], ""), now);
            stream = store.lock(hostId, container);
            if (!created) state = stream.map(ContainerLogStore.Stream::state);
        }
        var lines = new ArrayList<String>();
        for (LogChunk chunk : chunks) {
            var applied = LogStream.apply(state, chunk, properties.maxLineChars());
            lines.addAll(applied.lines());
            state = Optional.of(applied.next());
        }
        int keptLines = stream.get().keptLines();
        long keptBytes = stream.get().keptBytes();
        if (lines.isEmpty()) {
            store.update(hostId, container, state.get(), keptLines, keptBytes, now);
            return Optional.empty();
        }
        // Lines beyond the bound would be trimmed at once: they are not stored at all.
        List<String> kept = lines.size() > properties.maxLines() ? lines.subList(lines.size() - properties.maxLines(), lines.size())
                : lines;
        long last = store.append(hostId, container, kept, now);
        keptLines += kept.size();
        keptBytes += kept.stream().mapToLong(l -> l.getBytes(StandardCharsets.UTF_8).length).sum();
        if (keptLines > properties.maxLines() || keptBytes > properties.maxBytes()) {
            var left = store.trim(hostId, container, properties.maxLines(), properties.maxBytes());
            keptLines = left.lines();
            keptBytes = left.bytes();
        }
        store.update(hostId, container, state.get(), keptLines, keptBytes, now);
        return Optional.of(new LogsArrived(hostId, container, last));
    }

    /** The newest lines of a container's log, oldest first; {@code limit} is clamped to 1 to max-lines. */
    public List<LogLine> tail(String hostId, String container, int limit) {
        return store.tail(hostId, container, clamp(limit));
    }

    /** The lines after {@code seq}, oldest first, at most {@code limit}: what a follower has not seen yet. */
    public List<LogLine> after(String hostId, String container, long seq, int limit) {
        return store.after(hostId, container, seq, clamp(limit));
    }

    private int clamp(int limit) {
        return Math.clamp(limit, 1, properties.maxLines());
    }

    /**
     * A replica's log as a team member reads it: its newest lines, or with {@code after} the lines
     * since. {@code last} is the seq to pass as {@code after} next time.
     */
    public record LogPage(String replica, String hostId, List<LogLine> lines, long last) {
    }

    public LogPage read(Caller caller, String team, String app, String replica, Long after, int limit) {
        AccessPolicy.require(caller, Permission.READ_LOGS, team);
        if (replica == null || replica.isBlank()) {
            throw new Problem.Invalid("replica is required: the id of one of the app's replicas, as its containers are named "
                    + "(or edge: the id of an edge host, for the app's access log there)");
        }
        if (after != null && after < 0) throw new Problem.Invalid("after must be 0 or more: the last seq already read");
        var location = replicas.locate(replica).filter(l -> l.team().equals(team) && l.app().equals(app))
                .orElseThrow(() -> new Problem.NotFound("app '" + app + "' of team '" + team + "' has no replica '" + replica + "'"));
        var lines = after == null ? tail(location.hostId(), location.container(), limit)
                : after(location.hostId(), location.container(), after, limit);
        long last = lines.isEmpty() ? (after == null ? 0 : after) : lines.getLast().seq();
        return new LogPage(replica, location.hostId(), lines, last);
    }

    /** An edge host that has an access log of an app, and its hostname. */
    public record AccessSource(String hostId, String hostname) {
    }

    /** The edge hosts that have an access log of the app, by id. */
    public List<AccessSource> accessSources(Caller caller, String team, String app) {
        AccessPolicy.require(caller, Permission.READ_LOGS, team);
        return store.hostsWith(AccessStreams.of(team, app)).stream()
                .map(h -> new AccessSource(h, hosts.find(h).map(HostRecords.Seen::hostname).orElse(h))).toList();
    }

    /**
     * The app's access log as edge host {@code hostId} shipped it, read like a replica's log; the
     * page's {@code replica} is null. Each edge's log is a stream of its own.
     */
    public LogPage readAccess(Caller caller, String team, String app, String hostId, Long after, int limit) {
        AccessPolicy.require(caller, Permission.READ_LOGS, team);
        if (after != null && after < 0) throw new Problem.Invalid("after must be 0 or more: the last seq already read");
        String stream = AccessStreams.of(team, app);
        if (hostId == null || !store.hostsWith(stream).contains(hostId)) {
            throw new Problem.NotFound("app '" + app + "' of team '" + team + "' has no access log from edge host '" + hostId + "'");
        }
        var lines = after == null ? tail(hostId, stream, limit) : after(hostId, stream, after, limit);
        long last = lines.isEmpty() ? (after == null ? 0 : after) : lines.getLast().seq();
        return new LogPage(null, hostId, lines, last);
    }

    /** What {@link #maintain()} did. */
    public record Maintenance(int linesClosed, int containersPruned) {
    }

    /**
     * Keeps unfinished lines that went quiet as they are, and deletes the logs of containers their
     * host has not reported (or whose host has been silent) for longer than the retention.
     */
    public Maintenance maintain() {
        var now = clock.instant();
        List<LogsArrived> closed = tx.execute(s -> {
            var out = new ArrayList<LogsArrived>();
            for (var quiet : store.lockQuietLines(now.minus(properties.quietLineAfter()))) {
                long seq = store.closeQuietLine(quiet, now);
                long bytes = quiet.text().getBytes(StandardCharsets.UTF_8).length;
                if (quiet.keptLines() + 1 > properties.maxLines() || quiet.keptBytes() + bytes > properties.maxBytes()) {
                    store.trim(quiet.hostId(), quiet.container(), properties.maxLines(), properties.maxBytes());
                }
                out.add(new LogsArrived(quiet.hostId(), quiet.container(), seq));
            }
            return out;
        });
        closed.forEach(events::publishEvent);
        int pruned = tx.execute(s -> {
            store.markGone(now, hostProperties.heartbeatTimeout());
            return store.deleteGoneBefore(now.minus(properties.retention()));
        });
        if (pruned > 0) LOG.log(System.Logger.Level.INFO, "deleted the logs of " + pruned + " containers gone for "
                + properties.retention());
        return new Maintenance(closed.size(), pruned);
    }
}

package dev.berth.platform.deployments;

import dev.berth.agent.protocol.AssignedContainer;
import dev.berth.agent.protocol.Assignment;
import dev.berth.gitsync.definition.AppDefinition;
import dev.berth.platform.hosts.HostRecords;
import dev.berth.platform.problem.Problem;
import dev.berth.platform.secrets.AppSecrets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Optional;
import java.util.function.Function;
import org.springframework.stereotype.Service;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.TransactionDefinition;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * What each host should run: every replica assigned to it, with its spec, the values of the
 * secrets its app references and whether it may take traffic, where the apps its containers connect
 * to are served and who may connect to its replicas ({@link Connects}), and for an edge host what it
 * serves ({@link EdgeParts}), numbered by the host's generation.
 * Agents long-poll for a generation newer than the one they applied.
 */
@Service
public class Assignments {
    /** How long a poll waits when the agent does not say. */
    public static final Duration DEFAULT_WAIT = Duration.ofSeconds(25);
    /** The longest a poll may wait, below common proxies' idle timeouts. */
    public static final Duration MAX_WAIT = Duration.ofSeconds(55);
    /**
     * How often a waiting poll looks at the database anyway. A safety net only: generation moves
     * here and on other instances wake polls at once ({@link AssignmentSignals}); this bounds the
     * delay when a notice between instances was lost, at one cheap query per waiting agent.
     */
    static final Duration RECHECK = Duration.ofSeconds(3);
    /**
     * How many waiting polls build an assignment at once. One change can move every host's
     * generation; each build holds a pooled connection for its snapshot, and the rest of the
     * platform (heartbeats, rounds, the dashboard) needs connections from the same pool meanwhile.
     */
    static final int BUILDS_AT_ONCE = 6;
    private static final System.Logger LOG = System.getLogger(Assignments.class.getName());

    private final HostRecords hosts;
    private final ReplicaStore replicas;
    private final AppRevisions revisions;
    private final AppSecrets secrets;
    private final AssignmentSignals signals;
    private final TransactionTemplate snapshot;
    private final EdgeParts edges;
    private final GenerationBoard board;
    private final java.util.concurrent.Semaphore building = new java.util.concurrent.Semaphore(BUILDS_AT_ONCE, true);

    public Assignments(HostRecords hosts, ReplicaStore replicas, AppRevisions revisions, AppSecrets secrets,
                       AssignmentSignals signals, PlatformTransactionManager transactions, EdgeParts edges) {
        this.hosts = hosts;
        this.edges = edges;
        this.replicas = replicas;
        this.revisions = revisions;
        this.secrets = secrets;
        this.signals = signals;
        this.board = new GenerationBoard(signals::version, hosts::generations, System::nanoTime, RECHECK);
        // The generation and the replicas it numbers are read from one snapshot.
        this.snapshot = new TransactionTemplate(transactions);
        snapshot.setIsolationLevel(TransactionDefinition.ISOLATION_REPEATABLE_READ);
        snapshot.setReadOnly(true);
    }

    /**
     * The host's assignment as soon as its generation is above {@code after} (or at once when
     * {@code after} is above it, which only a database restored from a backup explains); empty
     * when {@code wait} passes first. Blocks the calling (virtual) thread while it waits.
     *
     * @param after the generation the agent applied last; -1 for none, which answers at once
     * @param wait how long to hold the request, 0 to {@link #MAX_WAIT}
     */
    public Optional<Assignment> await(String hostId, long after, Duration wait) throws InterruptedException {
        if (after < -1) throw new Problem.Invalid("after must be -1 (nothing applied yet) or a generation the platform sent, not " + after);
        if (wait.isNegative() || wait.compareTo(MAX_WAIT) > 0) {
            throw new Problem.Invalid("wait must be between 0 and " + MAX_WAIT.toSeconds() + " seconds, not " + wait.toSeconds());
        }
        long deadline = System.nanoTime() + wait.toNanos();
        while (true) {
            long seen = signals.version();
            Long generation = board.generation(hostId, seen);
            if (generation == null) { // registered after the board's reading, or not at all
                generation = hosts.generation(hostId).orElseThrow(() -> new Problem.NotFound("host " + hostId + " is not registered"));
            }
            // A generation above the host's own comes from before a database restore: answer, so the agent converges.
            if (generation != after) {
                var current = built(hostId);
                if (current.generation() != after) return Optional.of(current);
            }
            long left = deadline - System.nanoTime();
            if (left <= 0) return Optional.empty();
            signals.await(seen, Duration.ofNanos(Math.min(left, RECHECK.toNanos())));
        }
    }

    /** The host's assignment now, built by at most {@link #BUILDS_AT_ONCE} waiting polls at a time. */
    private Assignment built(String hostId) throws InterruptedException {
        building.acquire();
        try {
            return current(hostId);
        } finally {
            building.release();
        }
    }

    /** The host's assignment now. */
    public Assignment current(String hostId) {
        return snapshot.execute(s -> {
            long generation = hosts.generation(hostId).orElseThrow(() -> new Problem.NotFound("host " + hostId + " is not registered"));
            var containers = new ArrayList<AssignedContainer>();
            var here = replicas.liveOn(hostId);
            for (var r : here) {
                var app = revisions.find(r.revision(), r.app());
                if (app.isEmpty()) {
                    LOG.log(System.Logger.Level.ERROR, "replica " + r.id() + " names revision " + r.revision()
                            + ", which does not define " + r.app() + "; left out of host " + hostId + "'s assignment");
                    continue;
                }
                var def = app.get().definition();
                containers.add(new AssignedContainer(ContainerSpecs.of(r.team(), def, app.get().digest(), r.container()),
                        r.revision(), secrets.values(r.teamId(), r.app(), def.secrets()), r.serving()));
            }
            // Apps connect within their team: the teams on this host hold every producer and consumer that matters here.
            var team = new ArrayList<ReplicaRow>();
            here.stream().map(ReplicaRow::teamId).distinct().forEach(t -> team.addAll(replicas.liveOfTeam(t)));
            Function<ReplicaRow, Optional<AppDefinition>> definitions =
                    r -> revisions.find(r.revision(), r.app()).map(AppRevision::definition);
            return new Assignment(Assignment.VERSION, hostId, generation, containers,
                    Connects.targets(hostId, team, definitions, hosts.peerAddresses()), Connects.grants(hostId, team, definitions),
                    edges.of(hostId).orElse(null));
        });
    }
}

package dev.berth.platform.edge;

import dev.berth.agent.protocol.EdgeRoute;
import dev.berth.platform.deployments.AppChanged;
import dev.berth.platform.deployments.AssignmentSignals;
import dev.berth.platform.hosts.EdgeHostChanged;
import dev.berth.platform.hosts.HeartbeatRecorded;
import dev.berth.platform.hosts.HostRecords;
import jakarta.annotation.PreDestroy;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import dev.berth.platform.certificates.CertificatesChanged;
import dev.berth.platform.certificates.ChallengesChanged;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.context.event.EventListener;
import org.springframework.stereotype.Component;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.event.TransactionPhase;
import org.springframework.transaction.event.TransactionalEventListener;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Moves every edge host's generation when what the edges serve changed: a route, an upstream (a
 * host's replicas began or stopped serving), a certificate or a challenge. It looks after anything
 * that may have changed it (a heartbeat, an app that changed, a host that became an edge), at most
 * once per {@link #SETTLE}, and compares a digest with the one stored, so each change moves the
 * edges once however many platform instances see it.
 */
@Component
public class EdgeWatch {
    /** Changes closer together than this reach the edges together. */
    static final Duration SETTLE = Duration.ofMillis(100);
    private static final System.Logger LOG = System.getLogger(EdgeWatch.class.getName());

    private final EdgeTable table;
    private final ObjectProvider<EdgeCertificates> certificates;
    private final EdgeStateStore state;
    private final HostRecords hosts;
    private final AssignmentSignals signals;
    private final Clock clock;
    private final TransactionTemplate tx;
    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(
            Thread.ofPlatform().daemon().name("edge-watch").factory());
    private final AtomicBoolean pending = new AtomicBoolean();

    EdgeWatch(EdgeTable table, ObjectProvider<EdgeCertificates> certificates, EdgeStateStore state, HostRecords hosts,
              AssignmentSignals signals, Clock clock, PlatformTransactionManager transactions) {
        this.table = table;
        this.certificates = certificates;
        this.state = state;
        this.hosts = hosts;
        this.signals = signals;
        this.clock = clock;
        this.tx = new TransactionTemplate(transactions);
    }

    @TransactionalEventListener(phase = TransactionPhase.AFTER_COMMIT)
    public void onHeartbeat(HeartbeatRecorded heartbeat) {
        poke();
    }

    @EventListener
    public void onAppChanged(AppChanged changed) {
        poke();
    }

    @TransactionalEventListener(phase = TransactionPhase.AFTER_COMMIT, fallbackExecution = true)
    public void onCertificatesChanged(CertificatesChanged changed) {
        poke();
    }

    @TransactionalEventListener(phase = TransactionPhase.AFTER_COMMIT, fallbackExecution = true)
    public void onChallengesChanged(ChallengesChanged changed) {
        poke();
    }

    /** A host that became an edge gets the routes at once; one that stopped being one, an assignment without them. */
    @TransactionalEventListener(phase = TransactionPhase.AFTER_COMMIT)
    public void onEdgeHostChanged(EdgeHostChanged changed) {
        tx.executeWithoutResult(s -> hosts.bumpGeneration(changed.hostId()));
        signals.changed();
        poke();
    }

    /** Looks again soon; calls in between are folded into that one look. */
    public void poke() {
        if (pending.compareAndSet(false, true)) timer.schedule(this::look, SETTLE.toMillis(), TimeUnit.MILLISECONDS);
    }

    private void look() {
        pending.set(false);
        try {
            lookNow();
        } catch (RuntimeException e) {
            LOG.log(System.Logger.Level.WARNING, "could not check what the edges serve; trying again in a second", e);
            timer.schedule(this::poke, 1, TimeUnit.SECONDS);
        }
    }

    /**
     * Looks now, on the calling thread: when what the edges serve changed since the last look (of
     * any instance), every edge host's generation moves, once.
     *
     * @return whether it moved them
     */
    public boolean lookNow() {
        boolean moved = Boolean.TRUE.equals(tx.execute(s -> {
            var edges = hosts.edges();
            if (edges.isEmpty()) return false;
            var routes = table.routes();
            var routed = routes.stream().map(EdgeRoute::host).collect(java.util.stream.Collectors.toSet());
            if (!state.replace(fingerprint(routes, certificates.getObject().digestInput(routed)), clock.instant())) return false;
            // In id order, as the reconciler locks host rows.
            edges.forEach(e -> hosts.bumpGeneration(e.hostId()));
            return true;
        }));
        if (moved) {
            signals.changed();
            // New routed hosts may want certificates.
            certificates.getObject().orderSoon();
        }
        return moved;
    }

    /** A digest of what the edges serve: routes with their upstreams, then certificates and challenges. */
    static String fingerprint(List<EdgeRoute> routes, String certificatesAndChallenges) {
        try {
            var digest = MessageDigest.getInstance("SHA-256");
            for (var r : routes) {
                digest.update((r.host() + " " + r.path() + " " + r.app() + " " + String.join(",", r.upstreams()) + "\n")
                        .getBytes(StandardCharsets.UTF_8));
            }
            digest.update(certificatesAndChallenges.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(digest.digest());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this JDK", e);
        }
    }

    @PreDestroy
    void stop() {
        timer.shutdownNow();
    }
}

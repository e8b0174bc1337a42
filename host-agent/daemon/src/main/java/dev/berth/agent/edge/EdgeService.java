package dev.berth.agent.edge;

import dev.berth.agent.protocol.EdgeAssignment;
import dev.berth.agent.protocol.EdgeStatus;
import dev.berth.backoff.Backoff;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.security.PrivateKey;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Map;
import java.util.TreeMap;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * An edge host's proxy: keeps one Caddy running (restarted with backoff when it dies) and serving
 * the newest assignment's edge part. A part is loaded when it differs from the one Caddy serves,
 * after Caddy restarted and when the agent's key changed (sealed keys open with it); one load is
 * one atomic switch. What was left out (bad entries, keys that do not open) is logged once per
 * change and reported in {@link #status()}; private keys are never logged. An assignment with no
 * edge part serves nothing.
 */
public final class EdgeService implements AutoCloseable {
    static final Duration TICK = Duration.ofSeconds(1);
    static final Duration ADMIN_TIMEOUT = Duration.ofSeconds(10);
    private static final Duration LOG_POLL = Duration.ofMillis(250);
    private static final Backoff BACKOFF = new Backoff(Duration.ofSeconds(1), Duration.ofMinutes(1));

    private final EdgeSettings settings;
    private final EdgeDirectory dir;
    private final Path binary;
    private final Supplier<Optional<PrivateKey>> key;
    private final PrintStream log;
    private final Runnable changed;
    private final CaddyAdmin admin;
    private final AccessLog accessLog = new AccessLog();
    private final AccessFiles accessFiles;
    private final Semaphore wake = new Semaphore(0);
    private final Thread worker;
    private final Thread accessReader;
    private volatile Desired desired = new Desired(0, EdgeAssignment.EMPTY);
    private volatile RouteTable served = RouteTable.of(List.of());
    private volatile long appliedGeneration;
    private volatile String error;
    private volatile boolean closed;
    private boolean accessFilesFailing;
    // Worker thread only.
    private CaddyProcess caddy;
    private Loaded loaded;
    private int startFailures;
    private long nextStart;
    private int loadFailures;
    private long nextLoad;
    private List<String> reportedLeftOut = List.of();
    private Optional<PrivateKey> currentKey = Optional.empty();
    private PrivateKey previousKey;

    private record Desired(long generation, EdgeAssignment edge) {
    }

    private record Loaded(EdgeAssignment edge, Optional<PrivateKey> key) {
    }

    private EdgeService(EdgeSettings settings, EdgeDirectory dir, Path binary, Supplier<Optional<PrivateKey>> key, PrintStream log,
                        Runnable changed) {
        this.changed = changed;
        this.settings = settings;
        this.dir = dir;
        this.binary = binary;
        this.key = key;
        this.log = log;
        this.admin = new CaddyAdmin(dir.adminSocket(), ADMIN_TIMEOUT);
        this.accessFiles = new AccessFiles(dir.accessDir(), AccessFiles.MAX_BYTES);
        this.worker = Thread.ofPlatform().name("edge-proxy").daemon().unstarted(this::run);
        this.accessReader = Thread.ofPlatform().name("edge-access-log").daemon().unstarted(this::readAccessLog);
    }

    /**
     * Starts the edge in {@code STATE/edge} with Debian's {@code /usr/bin/caddy}; Caddy itself starts
     * on the service's thread, so a failure shows in {@link #status()} rather than here.
     *
     * @param key the agent's current private key, which certificate keys are sealed to; empty before it has one
     * @param changed called when {@link #status()} changed, so a heartbeat reports it soon
     */
    public static EdgeService start(EdgeSettings settings, Path stateDir, Supplier<Optional<PrivateKey>> key, PrintStream log,
                                    Runnable changed) throws IOException {
        return start(settings, stateDir, CaddyProcess.DEFAULT_BINARY, key, log, changed);
    }

    static EdgeService start(EdgeSettings settings, Path stateDir, Path binary, Supplier<Optional<PrivateKey>> key, PrintStream log,
                             Runnable changed) throws IOException {
        var service = new EdgeService(settings, EdgeDirectory.in(stateDir).create(), binary, key, log, changed);
        service.worker.start();
        service.accessReader.start();
        return service;
    }

    /** Serves {@code edge} (null: nothing) from now on; returns at once. */
    public void assigned(long generation, EdgeAssignment edge) {
        desired = new Desired(generation, edge == null ? EdgeAssignment.EMPTY : edge);
        wake.release();
    }

    /** For heartbeats: the proxy's state and each app's running totals (the busiest {@link EdgeStatus#MAX_TRAFFIC}). */
    public EdgeStatus status() {
        var traffic = accessLog.counts().entrySet().stream()
                .sorted(Comparator.comparingLong((Map.Entry<String, AppTraffic.Counts> e) -> e.getValue().requests()).reversed()
                        .thenComparing(Map.Entry::getKey))
                .limit(EdgeStatus.MAX_TRAFFIC)
                .map(e -> new EdgeStatus.AppRequests(e.getKey(), e.getValue().requests(), e.getValue().serverErrors(),
                        e.getValue().bytes()))
                .toList();
        return new EdgeStatus(settings.address(), appliedGeneration, error, traffic);
    }

    /** The proxy's state alone: a change of it is worth a heartbeat soon, a request served is not. */
    private EdgeStatus state() {
        return new EdgeStatus(settings.address(), appliedGeneration, error);
    }

    /**
     * Each app's file of access lines ({@code STATE/edge/access}), by the log stream it ships as
     * ({@code edge_TEAM.APP}); rotated copies sit beside them as {@code FILE.1}.
     */
    public Map<String, Path> accessLogs() {
        var out = new TreeMap<String, Path>();
        try {
            accessFiles.files().forEach(f -> out.put(f.stream(), f.file()));
        } catch (IOException e) {
            // Listed again at the next shipping round.
        }
        return out;
    }

    /** Per app access entries and counts. */
    public AppTraffic traffic() {
        return accessLog;
    }

    CaddyAdmin admin() {
        return admin;
    }

    EdgeDirectory directory() {
        return dir;
    }

    /** Caddy's pid now, for tests; -1 while it is not running. */
    synchronized long caddyPid() {
        var c = caddy;
        return c != null && c.alive() ? c.pid() : -1;
    }

    private void run() {
        try {
            while (!closed) {
                var before = state();
                step();
                if (!before.equals(state())) changed.run();
                wake.tryAcquire(TICK.toMillis(), TimeUnit.MILLISECONDS);
                wake.drainPermits();
            }
        } catch (InterruptedException e) {
            // closed
        }
    }

    private void step() throws InterruptedException {
        synchronized (this) {
            if (caddy != null && !caddy.alive()) {
                error = caddy.exitReason() + "; restarting it";
                log.println("berth-agent: edge: " + error);
                caddy = null;
                loaded = null;
            }
        }
        if (caddy == null) {
            if (System.nanoTime() < nextStart) return;
            try {
                var started = CaddyProcess.start(binary, dir, CaddyConfig.json(RouteTable.of(List.of()), List.of(), List.of(),
                        settings, dir.caddyFiles()), settings.cpus(), admin, log);
                synchronized (this) {
                    if (closed) {
                        started.close();
                        return;
                    }
                    caddy = started;
                }
                startFailures = 0;
                log.println("berth-agent: edge: Caddy runs (pid " + started.pid() + "), HTTP on " + settings.http()
                        + ", HTTPS on " + settings.https());
            } catch (IOException e) {
                error = "the edge proxy does not start: " + e.getMessage();
                log.println("berth-agent: edge: " + error + "; trying again with backoff");
                nextStart = System.nanoTime() + BACKOFF.delay(++startFailures).toNanos();
                return;
            }
        }
        var want = desired;
        var keyNow = key.get();
        if (keyNow.isPresent() && !keyNow.equals(currentKey)) {
            // Renewed: what the platform sealed before it learned the new key still opens with the old one.
            currentKey.ifPresent(k -> previousKey = k);
            currentKey = keyNow;
        }
        var target = new Loaded(want.edge(), keyNow);
        if (target.equals(loaded)) {
            appliedGeneration = Math.max(appliedGeneration, want.generation());
            return;
        }
        if (System.nanoTime() < nextLoad) return;
        var checked = EdgeChecks.check(want.edge());
        var keys = new ArrayList<PrivateKey>();
        keyNow.ifPresent(keys::add);
        if (previousKey != null && !keys.contains(previousKey)) keys.add(previousKey);
        var opened = CertificateKeys.open(checked.certificates(), keys);
        var routes = RouteTable.of(checked.routes());
        var leftOut = new ArrayList<>(checked.refusals());
        leftOut.addAll(opened.problems());
        try {
            admin.load(CaddyConfig.json(routes, checked.challenges(), opened.certificates(), settings, dir.caddyFiles()));
        } catch (IOException e) {
            error = "the edge proxy does not serve generation " + want.generation() + ": " + e.getMessage();
            log.println("berth-agent: edge: " + error);
            nextLoad = System.nanoTime() + BACKOFF.delay(++loadFailures).toNanos();
            return;
        }
        loadFailures = 0;
        loaded = target;
        served = routes;
        if (!leftOut.equals(reportedLeftOut)) leftOut.forEach(l -> log.println("berth-agent: edge: " + l));
        reportedLeftOut = leftOut;
        // The error first: whoever sees the new generation sees what it left out.
        error = leftOut.isEmpty() ? null : leftOut.getFirst() + (leftOut.size() > 1 ? " (and " + (leftOut.size() - 1) + " more)" : "");
        appliedGeneration = want.generation();
    }

    private void readAccessLog() {
        try (var follower = new AccessLogFollower(dir.accessLog())) {
            while (!closed) {
                var entries = new ArrayList<AccessEntry>();
                try {
                    follower.poll(line -> accessLog.take(line, served).ifPresent(entries::add));
                } catch (IOException e) {
                    // The file is Caddy's to make; it is read again at the next poll.
                }
                try {
                    accessFiles.write(entries);
                    accessFilesFailing = false;
                } catch (IOException e) {
                    // Those lines are lost (the counts keep them); said once until writing works again.
                    if (!accessFilesFailing) log.println("berth-agent: edge: cannot write access lines (" + e.getMessage() + ")");
                    accessFilesFailing = true;
                }
                Thread.sleep(LOG_POLL.toMillis());
            }
        } catch (IOException | InterruptedException e) {
            // closed
        }
    }

    /** Stops Caddy: an edge serves only while its agent runs. */
    @Override
    public void close() {
        closed = true;
        worker.interrupt();
        accessReader.interrupt();
        try {
            worker.join(5000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        synchronized (this) {
            if (caddy != null) caddy.close();
            caddy = null;
        }
    }

    @Override
    public String toString() {
        return "EdgeService[" + settings + ", " + Objects.requireNonNullElse(error, "serving") + "]";
    }
}
